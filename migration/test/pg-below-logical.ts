/**
 * A PostgreSQL 15 of its own with wal_level=replica (below logical: no replication slot can be made),
 * as a customer's server may run. devstack starts its clusters with wal_level=logical on the command
 * line, which no ALTER SYSTEM overrides: the cluster is restarted with the same options but that one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { applySqlFolder, findPostgresBin, startPostgres, startWatchdog, type PostgresServer } from '@zhengrowth/devstack';
import { withClient } from './pg-helpers.js';

function asPostgres(cmd: string, args: string[]): void {
  const root = process.getuid?.() === 0;
  // A bound, so a pg_ctl that never returns fails the test instead of holding the whole run.
  const opts = { encoding: 'utf8', timeout: 120_000 } as const;
  const res = root ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], opts) : spawnSync(cmd, args, opts);
  if (res.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed: ${res.stderr || res.stdout}`);
}

export async function startPostgresBelowLogical(): Promise<PostgresServer> {
  const server = await startPostgres({ useEnv: false });
  const dataDir = await withClient(server.url, async (c) => (await c.query<{ d: string }>("SELECT current_setting('data_directory') AS d")).rows[0]?.d ?? '');
  const port = new URL(server.url).port;
  const pgCtl = path.join(findPostgresBin(), 'pg_ctl');
  const options = [
    `-k ${path.dirname(dataDir)}`,
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c wal_level=replica',
  ];
  // -l: the new postmaster writes its log to a file. Without it, it inherits pg_ctl's stdout and
  // stderr, the pipes spawnSync reads to their end, and pg_ctl's caller waits as long as the server runs.
  const log = path.join(path.dirname(dataDir), 'restarted.log');
  asPostgres(pgCtl, ['-D', dataDir, '-w', '-t', '60', '-m', 'fast', '-l', log, '-o', options.join(' '), 'restart']);
  // The restarted server is a new process: stop it ourselves (devstack's stop() knows the old one), and if this process dies first, the watchdog does.
  const postmaster = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const watchdog = startWatchdog({ pids: [postmaster], dirs: [] });
  await applySqlFolder(server.url);
  return {
    ...server,
    async stop() {
      asPostgres(pgCtl, ['-D', dataDir, '-w', '-m', 'fast', 'stop']);
      watchdog.kill();
      await server.stop();
    },
  };
}
