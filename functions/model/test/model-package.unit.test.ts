/**
 * The model is what the web app imports: it must not pull a server-only package into a browser
 * bundle. It declares zod alone and imports nothing else; and every callable contract it holds is
 * listed in API under its own name and exported by the functions (and the other way round).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { API, DECLARED_CONTRACTS } from '@zhengrowth/model';

const modelDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const functionsDir = path.join(modelDir, '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
function specifiers(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1] as string);
}

describe('@zhengrowth/model', () => {
  it('declares zod as its only dependency', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(modelDir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(['zod']);
    expect(pkg.peerDependencies ?? {}).toEqual({});
  });

  it('imports only zod and its own files', () => {
    const foreign = sources(path.join(modelDir, 'src')).flatMap((f) =>
      specifiers(f)
        .filter((s) => s !== 'zod' && !s.startsWith('./') && !s.startsWith('../'))
        .map((s) => `${path.relative(modelDir, f)}: ${s}`),
    );
    expect(foreign).toEqual([]);
  });

  it('lists every callable contract in API under its own name', () => {
    for (const [key, c] of Object.entries(API)) expect(c.name).toBe(key);
    expect(DECLARED_CONTRACTS.map((c) => c.name).sort()).toEqual(Object.keys(API).sort());
  });

  it('has a wired callable for every contract, and a contract for every wired callable', () => {
    const index = fs.readFileSync(path.join(functionsDir, 'src', 'index.ts'), 'utf8');
    const exported = new Set([...index.matchAll(/export \{ (\w+) \}/g)].map((m) => m[1]));
    const wiringDir = path.join(functionsDir, 'src', 'functions');
    const wired = fs
      .readdirSync(wiringDir)
      .filter((f) => fs.readFileSync(path.join(wiringDir, f), 'utf8').includes('validatedOnCall('))
      .map((f) => path.basename(f, '.ts'))
      .sort();
    expect(wired).toEqual(Object.keys(API).sort());
    for (const name of Object.keys(API)) expect(exported.has(name), `functions/src/index.ts exports ${name}`).toBe(true);
  });
});
