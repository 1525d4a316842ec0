import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emptyDatabase, freshDatabase } from '@zhengrowth/devstack/testing';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import type { CliContext } from '../src/commands/command.js';
import { withClient } from './pg-helpers.js';
import { repoRoot } from './schema-doc.js';

async function run(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const ctx: CliContext = { out: (s) => void (out += s), err: (s) => void (err += s), env };
  const code = await main(['node', 'zg-migrate', ...args], ctx);
  return { code, out, err };
}

describe('zg-migrate', () => {
  it('prints help for the program and for seed-demo (exit 0)', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/seed-demo/);
    const cmd = await run(['seed-demo', '--help']);
    expect(cmd.code).toBe(0);
    expect(cmd.out).toMatch(/--scale <n>/);
    expect(cmd.out).toMatch(/--seed <text>/);
  });

  it('exits 2 on a usage error and names the flag', async () => {
    const bogus = await run(['seed-demo', '--bogus', '--scale', '1', '--database', 'postgres://x@h/db']);
    expect(bogus).toMatchObject({ code: 2 });
    expect(bogus.err).toMatch(/unknown option '--bogus'/);
    const scale = await run(['seed-demo', '--scale', '-1', '--database', 'postgres://x@h/db']);
    expect(scale.code).toBe(2);
    expect(scale.err).toMatch(/--scale: must be greater than 0/);
    const notNumber = await run(['seed-demo', '--scale', 'lots', '--database', 'postgres://x@h/db']);
    expect(notNumber.err).toMatch(/--scale: must be a number/);
    const noScale = await run(['seed-demo', '--database', 'postgres://x@h/db']);
    expect(noScale.err).toMatch(/--scale: is required/);
    const badUrl = await run(['seed-demo', '--scale', '1', '--database', 'mysql://x@h/db']);
    expect(badUrl).toMatchObject({ code: 2 });
    expect(badUrl.err).toMatch(/--database: must be a postgres/);
    const noUrl = await run(['seed-demo', '--scale', '1']);
    expect(noUrl.err).toMatch(/--database: is required/);
    expect((await run(['no-such-command'])).code).toBe(2);
    expect((await run([])).code).toBe(2);
  });

  it('loads only the named command, yet an unknown name still lists every command', async () => {
    // Object.prototype's keys are not commands (the loader looks names up in a plain object).
    const proto = await run(['constructor']);
    expect(proto.code).toBe(2);
    expect(proto.err).toMatch(/unknown command 'constructor'/);
    const typo = await run(['rnu']);
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/Did you mean run\?/);
    for (const name of ['plan', 'run', 'verify', 'sync', 'cutover', 'finish', 'files', 'status', 'seed-demo']) {
      const help = await run([name, '--help']);
      expect(help.code, name).toBe(0);
      expect(help.out, name).toMatch(new RegExp(`^Usage: zg-migrate ${name} `));
    }
  });

  it('seeds a database (exit 0), printing rows per table and the time; fails with exit 1 without the schema', async () => {
    const db = await freshDatabase('zg_cli');
    const bare = await emptyDatabase('zg_cli_bare');
    try {
      // --database may come from DATABASE_URL.
      const ok = await run(['seed-demo', '--scale', '0.01', '--seed', 'cli'], { DATABASE_URL: db.url });
      expect(ok.err).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.out).toMatch(/public\.analytics_events\s+\d+ rows/);
      expect(ok.out).toMatch(/Loaded \d+ rows into 46 tables in [\d.]+ s/);
      await withClient(db.url, async (c) => {
        expect(Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM public.leads')).rows[0]?.n)).toBeGreaterThan(0);
      });
      const fail = await run(['seed-demo', '--scale', '0.01', '--database', bare.url]);
      expect(fail.code).toBe(1);
      expect(fail.err).toMatch(/apply the Supabase schema first/);
    } finally {
      await Promise.all([db.drop(), bare.drop()]);
    }
  });

  it('runs through its bin shim from the build', () => {
    const bin = path.join(repoRoot, 'migration', 'bin', 'zg-migrate.js');
    const res = spawnSync(process.execPath, [bin, 'seed-demo', '--help'], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/Usage: zg-migrate seed-demo/);
    const bad = spawnSync(process.execPath, [bin, 'seed-demo', '--nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--nope/);
  });

  it('says to build first when the shim finds no dist/', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-bin-'));
    try {
      fs.mkdirSync(path.join(dir, 'bin'));
      const copy = path.join(dir, 'bin', 'zg-migrate.js');
      fs.copyFileSync(path.join(repoRoot, 'migration', 'bin', 'zg-migrate.js'), copy);
      fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
      const res = spawnSync(process.execPath, [copy, '--help'], { encoding: 'utf8' });
      expect(res.status).toBe(1);
      expect(res.stderr).toMatch(/run `npm run build`/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
