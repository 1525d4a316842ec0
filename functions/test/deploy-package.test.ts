/**
 * `firebase deploy --only functions` uploads functions/ (minus firebase.json's ignore list) and runs
 * `npm install` there: the compiled code may only import Node built-ins, packages that
 * functions/package.json declares, and the model linked as `file:./model` (whose own imports its
 * package.json declares). These checks keep a clean clone deployable without a bundler.
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const functionsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.join(functionsDir, '..');

interface PackageJson {
  main?: string;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  exports?: Record<string, Record<string, string>>;
  scripts?: Record<string, string>;
}

function readJson<T>(p: string): T {
  return JSON.parse(fs.readFileSync(p, 'utf8')) as T;
}

function jsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? jsFiles(p) : p.endsWith('.js') ? [p] : [];
  });
}

function bareImports(file: string): string[] {
  const src = fs.readFileSync(file, 'utf8');
  const specs = [...src.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm)].map(
    (m) => m[1] ?? m[2] ?? m[3] ?? '',
  );
  return specs.filter((s) => s && !s.startsWith('.') && !s.startsWith('node:'));
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? spec);
}

function undeclared(libDir: string, pkg: PackageJson): string[] {
  const declared = new Set(Object.keys(pkg.dependencies ?? {}));
  const missing = new Set<string>();
  for (const file of jsFiles(libDir)) {
    for (const spec of bareImports(file)) {
      const name = packageName(spec);
      if (!builtinModules.includes(name) && !declared.has(name)) missing.add(`${name} (${path.relative(root, file)})`);
    }
  }
  return [...missing];
}

describe('the functions folder deploys on its own', () => {
  const fnPkg = readJson<PackageJson>(path.join(functionsDir, 'package.json'));
  const modelPkg = readJson<PackageJson>(path.join(functionsDir, 'model', 'package.json'));

  it('targets the nodejs22 runtime', () => {
    expect(fnPkg.engines?.node).toBe('22');
    const firebaseJson = readJson<{ functions: Array<{ runtime?: string; source: string }> }>(path.join(root, 'firebase.json'));
    expect(firebaseJson.functions[0]).toMatchObject({ source: 'functions', runtime: 'nodejs22' });
  });

  it('depends on registry packages and on the model inside functions/, nothing else local', () => {
    for (const [name, version] of Object.entries(fnPkg.dependencies ?? {})) {
      if (version.startsWith('file:')) {
        expect(name).toBe('@zhengrowth/model');
        expect(version).toBe('file:./model');
      } else {
        expect(version).toMatch(/^[\^~]?\d/);
      }
    }
  });

  it('compiled functions import only what functions/package.json declares', () => {
    expect(fs.existsSync(path.join(functionsDir, fnPkg.main ?? 'lib/index.js'))).toBe(true);
    expect(undeclared(path.join(functionsDir, 'lib'), fnPkg)).toEqual([]);
  });

  it('the compiled model imports only what its package.json declares, and its entry point is built', () => {
    expect(modelPkg.exports?.['.']?.default).toBe('./lib/index.js');
    expect(fs.existsSync(path.join(functionsDir, 'model', 'lib', 'index.js'))).toBe(true);
    expect(undeclared(path.join(functionsDir, 'model', 'lib'), modelPkg)).toEqual([]);
  });

  it('the upload keeps the compiled code (firebase.json ignores sources, not lib/)', () => {
    const firebaseJson = readJson<{ functions: Array<{ ignore: string[]; predeploy: string[] }> }>(path.join(root, 'firebase.json'));
    const cfg = firebaseJson.functions[0]!;
    expect(cfg.ignore).not.toContain('lib');
    expect(cfg.ignore).not.toContain('model/lib');
    expect(cfg.predeploy.join(' ')).toMatch(/run build/);
    // The deploy checks the params before it uploads (params:check), and Cloud Build compiles the
    // modules once (gcp-build); a compile cache made on this machine is not uploaded.
    expect(cfg.predeploy.join(' ')).toMatch(/run params:check/);
    expect(fnPkg.scripts?.['gcp-build']).toBe('node lib/warm-compile-cache.js');
    expect(cfg.ignore).toContain('.compile-cache');
  });
});
