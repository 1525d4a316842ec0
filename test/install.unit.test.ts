/**
 * The README promises that `npm ci` works on Node 20 (npm 11) and that the EBADENGINE warnings
 * it prints there are harmless: they come only from packages that declare Node 22 (the functions
 * package declares the production runtime), and every npm script runs on the node@22 that npm ci
 * installs into node_modules/.bin. This keeps both halves true as dependencies change.
 */
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { expect, it } from 'vitest';
import { root } from './start/npm-start.js';

interface Lock {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }>;
}

const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Lock;
const rootPkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string }; devDependencies: Record<string, string> };

const functionsPkg = JSON.parse(fs.readFileSync(path.join(root, 'functions', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

function refusing(version: string): Array<{ pkg: string; node: string }> {
  return Object.entries(lock.packages)
    .map(([pkg, info]) => ({ pkg: pkg || '(root)', node: Array.isArray(info.engines) ? undefined : info.engines?.node }))
    .filter((p): p is { pkg: string; node: string } => p.node !== undefined && !semver.satisfies(version, p.node));
}

it('the oldest Nodes the root package accepts install every dependency; only the functions package and svix, which only it uses (Node 22), warn', () => {
  const node22 = lock.packages['node_modules/node']?.version ?? '';
  expect(node22, 'node@22 is a devDependency (npm scripts run on it)').toMatch(/^22\./);
  expect(rootPkg.devDependencies.node).toMatch(/^\^?22\./);
  expect(refusing(node22)).toEqual([]);
  // The lowest version of each range of the root engines ("^20.19.0 || >=22.13.0", the README's promise).
  const oldest = rootPkg.engines.node.split('||').map((range) => semver.minVersion(range)?.version ?? '');
  expect(oldest).toEqual(['20.19.0', '22.13.0']);
  // The README names the warnings: the functions package (engines "22", the Cloud Functions runtime)
  // and svix, which only the functions use (the Resend webhook's signatures).
  expect(refusing('20.19.0').map((p) => p.pkg)).toEqual(['functions', 'node_modules/svix']);
  expect(functionsPkg.dependencies.svix, 'svix is a dependency of the functions alone').toBeDefined();
  expect(rootPkg.devDependencies.svix).toBeUndefined();
  expect(refusing('22.13.0')).toEqual([]);
});
