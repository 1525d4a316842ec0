import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));

function emulatorJavaProcesses(port: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).stdout;
  return ps.split('\n').filter((l) => /\bjava\b/.test(l) && new RegExp(`[= ]${port}\\b`).test(l));
}

async function portOpen(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`);
    return true;
  } catch {
    return false;
  }
}

describe('the emulator launcher', () => {
  it('leaves no emulator running when its owner is killed with SIGKILL', async () => {
    const child = spawn(process.execPath, ['--conditions=zg-source', '--import', 'tsx', path.join(here, 'fixtures', 'hold-emulators.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, FIRESTORE_EMULATOR_HOST: '' },
    });
    const port = await new Promise<number>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /READY (\d+)/.exec(buf);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
    });
    expect(await portOpen(port)).toBe(true);
    child.kill('SIGKILL');
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await portOpen(port))) await new Promise((r) => setTimeout(r, 200));
    expect(await portOpen(port)).toBe(false);
    expect(emulatorJavaProcesses(String(port))).toEqual([]);
  }, 180_000);
});
