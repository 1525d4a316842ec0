import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the folder holding firebase.json, found from this file's location. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'firebase.json')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root (a folder with firebase.json) above the devstack');
    dir = up;
  }
}

/** Scratch space for generated files (launcher jar, emulator configs); gitignored. */
export function stackCacheDir(): string {
  return path.join(repoRoot(), 'node_modules', '.cache', 'zg-devstack');
}

/** The project id every local tool uses: a demo- project needs no credentials and touches no cloud. */
export const DEMO_PROJECT_ID = 'demo-zhengrowth';
