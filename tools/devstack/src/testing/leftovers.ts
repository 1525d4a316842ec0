/**
 * What a test run leaves in the working tree. The global setup takes a snapshot of
 * `git status --porcelain --ignored` before anything runs and the teardown compares: a log, a
 * generated config or any other new file outside node_modules and the build folders fails the
 * run (on a fresh clone in CI the snapshot is clean, so every leftover counts).
 */
import { spawnSync } from 'node:child_process';

/**
 * Paths a run may create: dependencies, build output, and functions/.secret.local, which the
 * setup copies from the committed example on purpose (the functions emulator reads secrets there).
 */
const EXPECTED = [/(^|\/)node_modules\//, /(^|\/)(lib|dist)\//, /\.tsbuildinfo$/, /^functions\/\.secret\.local$/];

/** The paths git reports as changed, untracked or ignored (one per porcelain line), or null without git. */
export function workingTreeEntries(root: string): Set<string> | null {
  const res = spawnSync('git', ['status', '--porcelain', '--ignored'], { cwd: root, encoding: 'utf8' });
  if (res.status !== 0 || res.error) return null;
  return parsePorcelain(res.stdout);
}

export function parsePorcelain(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.length < 4) continue;
    // "XY path" or "XY from -> to"; quoted when the path has unusual characters.
    const rest = line.slice(3);
    const path = rest.includes(' -> ') ? rest.slice(rest.indexOf(' -> ') + 4) : rest;
    out.add(path.replace(/^"|"$/g, ''));
  }
  return out;
}

/** Entries present after the run and not before, except the expected ones. */
export function leftovers(before: ReadonlySet<string>, after: ReadonlySet<string>): string[] {
  return [...after].filter((p) => !before.has(p) && !EXPECTED.some((re) => re.test(p))).sort();
}
