/**
 * The folder-level import graph of a source tree, from its files' relative imports: an edge A → B
 * when a file directly in or below folder A (a top-level folder of the tree; `.` for files at its
 * root) imports a file in or below B. Its strongly connected components of more than one folder
 * are the cycles. Type-only imports count: a cycle of types is still a cycle of concepts.
 */
import fs from 'node:fs';
import path from 'node:path';

const IMPORT =
  /(?:^|[^\w.])(?:import|export)\s[^'"`;]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|new URL\(\s*['"](\.{1,2}\/[^'"]+)['"]/g;

export interface FolderEdge {
  from: string;
  to: string;
  /** One import that makes the edge: `file → imported file`, relative to the tree. */
  example: string;
}

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

const folderOf = (root: string, file: string): string => {
  const rel = path.relative(root, file);
  return rel.includes(path.sep) ? (rel.split(path.sep)[0] ?? '.') : '.';
};

/** Every relative import of every .ts file under `root`, resolved to a path. */
export function relativeImports(root: string): Array<{ file: string; target: string }> {
  return tsFiles(root).flatMap((file) =>
    [...fs.readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => ({ file, target: path.resolve(path.dirname(file), m[1] ?? m[2] ?? m[3] ?? '') })),
  );
}

export function folderEdges(root: string): FolderEdge[] {
  const edges = new Map<string, FolderEdge>();
  for (const { file, target } of relativeImports(root)) {
    if (path.relative(root, target).startsWith('..')) continue;
    const from = folderOf(root, file);
    const to = folderOf(root, target);
    if (from === to || edges.has(`${from}\u0000${to}`)) continue;
    edges.set(`${from}\u0000${to}`, { from, to, example: `${path.relative(root, file)} → ${path.relative(root, target)}` });
  }
  return [...edges.values()];
}

/** The folder cycles of a tree (Tarjan's strongly connected components of more than one folder), each with the edges that close it. */
export function folderCycles(root: string): Array<{ folders: string[]; edges: FolderEdge[] }> {
  const edges = folderEdges(root);
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) ?? 0);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
        onStack.delete(w);
        scc.push(w);
      }
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of new Set(edges.flatMap((e) => [e.from, e.to]))) if (!index.has(v)) visit(v);
  return out.map((folders) => ({ folders, edges: edges.filter((e) => folders.includes(e.from) && folders.includes(e.to)) }));
}
