/**
 * npm start on a port that is taken: the message names the port and what it was for, the process
 * holding it and, when that process belongs to an earlier `npm start`, that one and how to stop
 * it; and it says how to run on other ports. (The check runs before anything starts.)
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { assertPortsFree, freePort, PortInUseError } from '@zhengrowth/devstack';
import { portInUseMessage } from '../scripts/start/messages.js';
import { root } from './start/npm-start.js';

it('a taken port is named with its holder, the earlier npm start it belongs to, and the way to other ports', async () => {
  const earlier = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/start/fixtures/scripts/start.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [port, holderPid] = await new Promise<number[]>((resolve, reject) => {
      let buf = '';
      earlier.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /PORT (\d+) (\d+)/.exec(buf);
        if (m) resolve([Number(m[1]), Number(m[2])]);
      });
      earlier.on('exit', (code) => reject(new Error(`the fixture exited with ${code}`)));
    });
    const free = await freePort();
    await expect(assertPortsFree([{ port: free, purpose: 'Auth emulator' }])).resolves.toBeUndefined();

    const err = await assertPortsFree([
      { port: free, purpose: 'Auth emulator' },
      { port: port as number, purpose: 'Firestore emulator' },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortInUseError);
    const inUse = err as PortInUseError;
    expect(inUse.holder?.pid).toBe(holderPid);
    expect(inUse.holder?.npmStart?.pid).toBe(earlier.pid);
    const message = portInUseMessage(inUse);
    expect(message).toContain(`port ${port} (Firestore emulator) is already in use on 127.0.0.1`);
    expect(message).toContain(`process ${holderPid} (`);
    expect(message).toContain(`an earlier \`npm start\` that is still running (process ${earlier.pid}`);
    expect(message).toContain(`kill ${earlier.pid}`);
    expect(message).toContain('npm start -- --free-ports');
    expect(message).toContain('firebase.json');
  } finally {
    earlier.kill('SIGTERM');
  }
}, 60_000);
