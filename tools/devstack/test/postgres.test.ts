import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { findPostgresBin, startPostgres } from '@zhengrowth/devstack';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}

describe('the throwaway PostgreSQL 15', () => {
  it('finds the PostgreSQL 15 server binaries', () => {
    const bin = findPostgresBin();
    expect(fs.existsSync(path.join(bin, 'initdb'))).toBe(true);
  });

  it('starts on loopback, answers, and leaves nothing behind when stopped', async () => {
    const server = await startPostgres({ useEnv: false });
    expect(server.owned).toBe(true);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query<{ v: string; pid: number; dir: string }>(
      "select current_setting('server_version_num') as v, pg_backend_pid() as pid, current_setting('data_directory') as dir",
    );
    await client.end();
    expect(Number(rows[0]!.v)).toBeGreaterThanOrEqual(150000);
    expect(Number(rows[0]!.v)).toBeLessThan(160000);
    const dataDir = rows[0]!.dir;
    const postmaster = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    await server.stop();
    expect(alive(postmaster)).toBe(false);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('is stopped by the watchdog when its owner is killed with SIGKILL', async () => {
    // A child process starts a cluster, prints its postmaster PID, then is killed -9.
    const child = spawn(process.execPath, ['--conditions=zg-source', '--import', 'tsx', path.join(here, 'fixtures', 'hold-postgres.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /READY (\d+) (\S+)/.exec(buf);
        if (m) resolve(m[0]);
      });
      child.on('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
    });
    const [, pidText, dataDir] = line.split(' ');
    const postmaster = Number(pidText);
    expect(alive(postmaster)).toBe(true);
    child.kill('SIGKILL');
    expect(await waitFor(() => !alive(postmaster), 15_000)).toBe(true);
    expect(await waitFor(() => !fs.existsSync(dataDir!), 15_000)).toBe(true);
  });
});
