import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MissingToolError } from './java.js';
import { freePort } from './ports.js';
import { isAlive, run, startWatchdog, tryRun } from './processes.js';
import { withDatabase } from './sql.js';

/** Supabase runs PostgreSQL 15; the schema is tested on the same major. */
export const PG_MAJOR = 15;

export interface PostgresServer {
  /** postgres://… of the superuser's `postgres` database. */
  url: string;
  /** True when we started the cluster (and stop() removes it). */
  owned: boolean;
  /** The same server with another database name. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

function majorOfBin(bin: string): number | null {
  const out = tryRun(path.join(bin, 'postgres'), ['--version']);
  const m = out ? /\(PostgreSQL\) (\d+)/.exec(out) : null;
  return m ? Number(m[1]) : null;
}

/** The folder with initdb, pg_ctl and postgres of PostgreSQL 15, without hard-coding it. */
export function findPostgresBin(): string {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const fromConfig = tryRun('pg_config', ['--bindir'])?.trim();
  if (fromConfig) candidates.push(fromConfig);
  const listed = tryRun('dpkg', ['-L', `postgresql-${PG_MAJOR}`]);
  const initdb = listed?.split('\n').find((l) => l.endsWith('/bin/initdb'));
  if (initdb) candidates.push(path.dirname(initdb));
  const onPath = tryRun('sh', ['-c', 'readlink -f "$(command -v postgres)"'])?.trim();
  if (onPath) candidates.push(path.dirname(onPath));
  for (const root of ['/usr/lib/postgresql', '/usr/local/pgsql', '/opt/homebrew/opt']) {
    if (!fs.existsSync(root)) continue;
    for (const entry of fs.readdirSync(root)) candidates.push(path.join(root, entry, 'bin'));
  }
  const seen: string[] = [];
  for (const bin of candidates) {
    if (!['initdb', 'pg_ctl', 'postgres'].every((b) => fs.existsSync(path.join(bin, b)))) continue;
    const major = majorOfBin(bin);
    seen.push(`${bin} (PostgreSQL ${major ?? '?'})`);
    if (major === PG_MAJOR) return bin;
  }
  throw new MissingToolError(
    `PostgreSQL ${PG_MAJOR} server binaries not found (looked at PG_BIN, pg_config, dpkg, PATH${seen.length ? `; found ${seen.join(', ')}` : ''}). ` +
      `Install them (Debian/Ubuntu: \`apt install postgresql-${PG_MAJOR}\`) or set DATABASE_URL to a PostgreSQL ${PG_MAJOR} server.`,
  );
}

/**
 * DATABASE_URL when given; otherwise a throwaway cluster: initdb into a temp folder, loopback only,
 * a free port, the socket in the temp folder. stop() shuts it down by its PID and deletes it; a
 * watchdog does the same if this process is killed first.
 */
export async function startPostgres(opts: { useEnv?: boolean } = {}): Promise<PostgresServer> {
  const given = opts.useEnv === false ? undefined : process.env.DATABASE_URL;
  if (given) {
    return { url: given, owned: false, urlFor: (db) => withDatabase(given, db), stop: async () => {} };
  }
  const bin = findPostgresBin();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-pg-'));
  const dataDir = path.join(root, 'data');
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: run the server as the `postgres` system user then.
  const as = (cmd: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  if (asRoot) {
    if (!tryRun('id', ['postgres']))
      throw new MissingToolError('Running as root needs a `postgres` system user to own the throwaway cluster (the postgresql package creates it).');
    fs.chmodSync(root, 0o755);
    run('chown', ['postgres', root]);
  }
  const port = await freePort();
  const [initCmd, initArgs] = as(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  run(initCmd, initArgs);
  const serverOpts = [
    `-k ${root}`,
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    // A throwaway cluster: durability buys nothing here.
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
    '-c max_wal_size=2GB',
    // zg-migrate's run opens its snapshot through a logical replication slot that sync follows
    // (as on Supabase): one slot per migrated database, several test files at once.
    '-c wal_level=logical',
    '-c max_replication_slots=64',
    '-c max_wal_senders=64',
  ].join(' ');
  const [ctlCmd, ctlArgs] = as(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-l', path.join(root, 'server.log'), '-o', serverOpts, '-w', '-t', '60', 'start']);
  try {
    run(ctlCmd, ctlArgs);
  } catch (err) {
    const log = fs.existsSync(path.join(root, 'server.log')) ? fs.readFileSync(path.join(root, 'server.log'), 'utf8') : '';
    fs.rmSync(root, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${(err as Error).message}\n${log}`);
  }
  const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const watchdog = startWatchdog({ pids: [pid], dirs: [root] });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  const stop = async (): Promise<void> => {
    try {
      process.kill(pid, 'SIGINT'); // fast shutdown
    } catch {
      /* already gone */
    }
    const deadline = Date.now() + 15_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    watchdog.kill();
    fs.rmSync(root, { recursive: true, force: true });
  };
  return { url, owned: true, urlFor: (db) => withDatabase(url, db), stop };
}
