/**
 * The V8 code cache of a deployed instance. Most of a cold start is Node compiling modules (the
 * model, zod, the Admin SDK): compiled once by the deploy's build instead, on Google's build machine
 * with the Node that runs the functions (`gcp-build`: warm-compile-cache.ts), each instance reads
 * the compiled code from functions/.compile-cache (bench:coldstart measures both). The cache is
 * an optimisation only: where there is none (development, the emulators) nothing is read or
 * written, and a cache V8 does not accept (another Node, changed files) is compiled around.
 */
import fs from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the build leaves the cache (ZG_COMPILE_CACHE_DIR elsewhere, for tests and the benchmark). */
export function compileCacheDir(): string {
  return process.env.ZG_COMPILE_CACHE_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.compile-cache');
}

/** Reads compiled code from the build's cache, if the build made one. */
export function useCompileCache(): void {
  const dir = compileCacheDir();
  if (typeof module.enableCompileCache === 'function' && fs.existsSync(dir)) module.enableCompileCache(dir);
}
