/**
 * `npm run gcp-build`: Cloud Build runs it once per deploy, in the folder the functions will run
 * from (/workspace) and with the Node they will run on, after installing the dependencies. It loads
 * every function as the deploy's discovery does, so every module an instance loads at its start is
 * compiled, and leaves V8's code for them in the compile cache each instance reads
 * (compile-cache.ts). A failure is reported and the deploy goes on: the cache only saves time.
 */
import fs from 'node:fs';
import module from 'node:module';
import { compileCacheDir } from './compile-cache.js';

const dir = compileCacheDir();
fs.rmSync(dir, { recursive: true, force: true });
// Node 22.1 and later (the runtime is nodejs22); an older Node here makes no cache.
const enabled = typeof module.enableCompileCache === 'function' ? module.enableCompileCache(dir) : { status: undefined, message: `Node ${process.version}` };
if (enabled.status !== module.constants?.compileCacheStatus?.ENABLED) {
  console.warn(`compile cache: not made (${enabled.message ?? 'disabled'}); functions compile their modules at start`);
} else {
  try {
    await import('./index.js');
  } catch (err) {
    // Whatever the cache lacks is compiled at start, as without one: never a reason to fail a deploy.
    console.warn(`compile cache: loading the functions failed (${err instanceof Error ? err.message : String(err)}); the cache holds what loaded`);
  }
  // Written at exit otherwise; Node 22.10+ writes it now.
  if (typeof module.flushCompileCache === 'function') module.flushCompileCache();
  const files = fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).length : 0;
  console.log(`compile cache: ${files} entries in ${dir}`);
}
