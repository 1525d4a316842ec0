/**
 * The migration's structure: no import cycle between the folders of migrate/ (nor between
 * commands/, migrate/ and seed/), and nothing outside the package reached but through a package's
 * public entry (`@zhengrowth/model`, never `../../functions/model/src/…`).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { folderCycles, relativeImports } from './folder-graph.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, '..');
const show = (cycles: ReturnType<typeof folderCycles>): string[] => cycles.map((c) => `${c.folders.join(' ↔ ')}: ${c.edges.map((e) => e.example).join('; ')}`);

describe('the migration package', () => {
  it('has no folder-level import cycle in src/migrate', () => {
    expect(show(folderCycles(path.join(pkg, 'src', 'migrate')))).toEqual([]);
  });

  it('has no folder-level import cycle in src (commands, migrate, seed)', () => {
    expect(show(folderCycles(path.join(pkg, 'src')))).toEqual([]);
  });

  it('finds a cycle where there is one (the check itself)', () => {
    const cycles = folderCycles(path.join(here, 'fixtures', 'cycle'));
    expect(cycles.map((c) => c.folders)).toEqual([['a', 'b']]);
  });

  it('reaches outside the package only through package names', () => {
    const outside = ['src', 'test', 'bench'].flatMap((d) =>
      relativeImports(path.join(pkg, d))
        .filter((i) => path.relative(pkg, i.target).startsWith('..'))
        .map((i) => `${path.relative(pkg, i.file)} → ${path.relative(pkg, i.target)}`),
    );
    expect(outside).toEqual([]);
  });
});
