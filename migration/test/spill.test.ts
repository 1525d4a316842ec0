/**
 * The spill folder holds every migrated document: a run killed outright leaves it behind, and the
 * next run on the machine removes it — but only once the process that made it is gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeStaleSpillDirs, SpillDir } from '../src/migrate/run/spill.js';

const made: string[] = [];
const children: ChildProcess[] = [];

function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-spill-test-'));
  made.push(dir);
  return dir;
}

function folder(tmp: string, name: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'users.0.v8'), 'documents');
  return dir;
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('spill folders', () => {
  it('removes the folders of processes that are gone, and only those', async () => {
    const tmp = tmpDir();
    const dead = spawn(process.execPath, ['-e', '']);
    await once(dead, 'exit');
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    children.push(alive);
    const deadDir = folder(tmp, `zg-migrate-${dead.pid}-AbC123`);
    folder(tmp, `zg-migrate-${alive.pid}-AbC123`);
    folder(tmp, `zg-migrate-${process.pid}-AbC123`);
    // Not named by a process id: nobody can tell whose it is.
    folder(tmp, 'zg-migrate-AbC123');
    folder(tmp, `zg-migrate-${dead.pid}-AbC123-copy`);
    folder(tmp, 'unrelated');

    expect(removeStaleSpillDirs(tmp)).toEqual([deadDir]);
    expect(fs.readdirSync(tmp).sort()).toEqual(
      [`zg-migrate-${alive.pid}-AbC123`, `zg-migrate-${process.pid}-AbC123`, 'zg-migrate-AbC123', `zg-migrate-${dead.pid}-AbC123-copy`, 'unrelated'].sort(),
    );
  });

  it('a run makes its folder (private to its user) after sweeping, and removes it with its signal handlers', async () => {
    const tmp = tmpDir();
    const dead = spawn(process.execPath, ['-e', '']);
    await once(dead, 'exit');
    const stale = folder(tmp, `zg-migrate-${dead.pid}-XyZ789`);
    const before = process.listenerCount('SIGINT');
    const spill = new SpillDir(() => undefined, tmp);
    expect(spill.swept).toEqual([stale]);
    expect(path.basename(spill.path)).toMatch(new RegExp(`^zg-migrate-${process.pid}-[A-Za-z0-9]{6}$`));
    expect(fs.statSync(spill.path).mode & 0o777).toBe(0o700);
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    fs.writeFileSync(spill.file('blog_posts.0.v8'), 'documents');
    spill.remove();
    expect(fs.readdirSync(tmp)).toEqual([]);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
