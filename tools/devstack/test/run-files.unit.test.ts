/**
 * An emulator run writes nothing into the repository: its config (with this run's ports and the
 * repository's paths), the functions' parameter file, the worker sockets and the logs live in a
 * folder of its own; and a test run that leaves a file in the working tree is caught.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareRun, relocateConfig } from '../src/emulator-run.js';
import { leftovers, parsePorcelain } from '../src/testing/leftovers.js';

const scratch: string[] = [];
afterEach(() => {
  for (const d of scratch.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function fakeRepo(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-fake-repo-'));
  scratch.push(root);
  fs.mkdirSync(path.join(root, 'functions'));
  fs.writeFileSync(path.join(root, 'functions', '.env'), 'TAX_RATE_PERCENT=8\n');
  fs.writeFileSync(path.join(root, 'functions', 'index.js'), '');
  fs.writeFileSync(
    path.join(root, 'firebase.json'),
    JSON.stringify({
      firestore: { rules: 'firestore.rules', indexes: 'firestore.indexes.json' },
      functions: [{ source: 'functions', codebase: 'default' }],
      emulators: {},
    }),
  );
  return root;
}

describe('an emulator run', () => {
  it('points the config at the repository from its own folder (absolute rules, a relative functions source)', () => {
    const config = relocateConfig(
      { firestore: { rules: 'firestore.rules', indexes: 'firestore.indexes.json' }, functions: [{ source: 'functions' }] },
      '/repo',
      '/tmp/run',
      { hub: { port: 1 } },
    );
    expect(config).toEqual({
      firestore: { rules: '/repo/firestore.rules', indexes: '/repo/firestore.indexes.json' },
      functions: [{ source: '../../repo/functions', configDir: 'functions-env-0' }],
      emulators: { hub: { port: 1 } },
    });
    // firebase-tools joins the source to the config's folder.
    expect(path.join('/tmp/run', '../../repo/functions')).toBe('/repo/functions');
  });

  it('keeps its files in a temp folder with copies of the dotenv files, and removes them; a kept log folder stays', () => {
    const root = fakeRepo();
    const run = prepareRun(root, { hub: { port: 4400 } });
    expect(run.dir.startsWith(os.tmpdir())).toBe(true);
    expect(JSON.parse(fs.readFileSync(run.configPath, 'utf8'))).toMatchObject({ emulators: { hub: { port: 4400 } } });
    expect(fs.readFileSync(path.join(run.dir, 'functions-env-0', '.env'), 'utf8')).toBe('TAX_RATE_PERCENT=8\n');
    expect(fs.statSync(run.tmpDir).isDirectory()).toBe(true);
    expect(run.logDir.startsWith(run.dir)).toBe(true);
    run.remove();
    expect(fs.existsSync(run.dir)).toBe(false);
    expect(fs.readdirSync(root).sort()).toEqual(['firebase.json', 'functions']);

    const keep = path.join(root, 'logs');
    fs.mkdirSync(keep);
    fs.writeFileSync(path.join(keep, 'emulators.log'), 'the last run');
    const kept = prepareRun(root, {}, keep);
    expect(fs.readdirSync(keep)).toEqual([]);
    fs.writeFileSync(kept.logFile, 'this run');
    kept.remove();
    expect(fs.readFileSync(path.join(keep, 'emulators.log'), 'utf8')).toBe('this run');
  });
});

describe('leftovers of a test run', () => {
  it('are the new entries of git status outside node_modules, build folders and the local secrets file', () => {
    const before = parsePorcelain('!! node_modules/\n M README.md\n');
    const after = parsePorcelain(
      [
        '!! node_modules/',
        ' M README.md',
        '!! firestore-debug.log',
        '!! firebase.emulators.123.4400.json',
        '!! functions/lib/',
        '!! migration/node_modules/',
        '!! tools/devstack/dist/',
        '!! functions/.secret.local',
        '?? "odd name.txt"',
        'R  a.ts -> b.ts',
      ].join('\n'),
    );
    expect(leftovers(before, after)).toEqual(['b.ts', 'firebase.emulators.123.4400.json', 'firestore-debug.log', 'odd name.txt']);
    expect(leftovers(after, after)).toEqual([]);
  });
});
