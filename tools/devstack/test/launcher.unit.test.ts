/**
 * The start script watches the processes it was launched through, up to npm: npm dies of SIGHUP
 * or SIGKILL without telling its child, and a shell or tsx between them keeps the script from
 * being orphaned. Played here by a process titled "npm start", as npm titles itself.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function chainSeenFrom(script: string): { npm: number; shell: number; chain: number[] } {
  // "npm" runs the script through sh, as npm does; the script prints its launcher chain.
  const report = `import('@zhengrowth/devstack').then((m) => console.log(JSON.stringify(m.launcherChain())))`;
  const child = `${JSON.stringify(process.execPath)} --conditions=zg-source --import tsx -e ${JSON.stringify(report)}`;
  const npm = [
    "process.title = 'npm start';",
    "const { spawn } = require('node:child_process');",
    `const sh = spawn('sh', ['-c', ${JSON.stringify(script.replace('CHILD', child))}], { stdio: ['ignore', 'pipe', 'inherit'] });`,
    "let out = ''; sh.stdout.on('data', (d) => (out += d));",
    "sh.on('exit', () => console.log(JSON.stringify({ npm: process.pid, shell: sh.pid, chain: JSON.parse(out) })));",
  ].join('\n');
  const res = spawnSync(process.execPath, ['-e', npm], { cwd: root, encoding: 'utf8' });
  expect(res.status, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as { npm: number; shell: number; chain: number[] };
}

it('is npm alone when the script execs, and the shell and npm when it does not', () => {
  const direct = chainSeenFrom('exec CHILD');
  expect(direct.chain).toEqual([direct.npm]);
  const viaShell = chainSeenFrom('CHILD; true');
  expect(viaShell.chain).toEqual([viaShell.shell, viaShell.npm]);
}, 60_000);
