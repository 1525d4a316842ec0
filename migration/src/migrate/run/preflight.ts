/**
 * The pre-flight: every row transformed and checked, nothing written; the figures per table
 * (rows, documents, rejections by reason, largest document, deepest nesting, most index entries,
 * escaped keys), and, for a run, the checked output, encoded as Firestore writes, kept for the
 * write pass (spill.ts).
 *
 * Work is cut into tasks: a unit, or a key range of a large table. With the postgres source and
 * cores to spare (four or more, see preflightThreads in run.ts), tasks run in the main thread and in
 * worker threads at once (preflight-worker.ts), all reading the same exported snapshot, so the
 * pre-flight uses every core while Firestore has nothing to do yet.
 */
import { SpillWriter } from './spill.js';
import type { RejectedRow, Unit, WorkItem } from '../units/index.js';
import { WriteEncoder } from '../codecs/wire.js';

export interface PreflightStats {
  table: string;
  rows: number;
  documents: number;
  rejected: number;
  largestBytes: number;
  largestPath: string;
  deepest: number;
  maxIndexEntries: number;
  escapedKeys: number;
  /** Reason (row values left out) → rows. */
  reasons: Map<string, number>;
}

/** One piece of pre-flight work: a unit, or the rows of a table in (after, until]. */
export interface PreflightTask {
  id: number;
  unit: string;
  after: string | null;
  until: string | null;
  /** Where the checked output goes (null: a dry run keeps nothing). */
  file: string | null;
  /** The database the documents are encoded for (`projects/{p}/databases/(default)`). */
  database: string;
  /** Return the rejected rows, whole (a dry run writes them to the rejects file). */
  collectRejects: boolean;
}

export interface TaskResult {
  id: number;
  rows: number;
  stats: Array<Omit<PreflightStats, 'reasons'> & { reasons: Array<[string, number]> }>;
  rejects: RejectedRow[];
}

export function newStats(table: string): PreflightStats {
  return { table, rows: 0, documents: 0, rejected: 0, largestBytes: 0, largestPath: '', deepest: 0, maxIndexEntries: 0, escapedKeys: 0, reasons: new Map() };
}

function reasonKind(reason: string): string {
  // The reason without the row's own values, so like problems group together.
  return reason
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\b\d[\d,.:+\- ]*\b/g, 'N')
    .slice(0, 140);
}

export function observe(stats: Map<string, PreflightStats>, item: WorkItem): void {
  for (const c of item.counts) {
    const s = stats.get(c.table) ?? newStats(c.table);
    s.rows += c.written + c.rejected;
    s.rejected += c.rejected;
    stats.set(c.table, s);
  }
  for (const r of item.rejects) {
    const s = stats.get(r.table) ?? newStats(r.table);
    const k = reasonKind(r.reason);
    s.reasons.set(k, (s.reasons.get(k) ?? 0) + 1);
    stats.set(r.table, s);
  }
  const owner = item.counts[0]?.table;
  if (!owner) return;
  const s = stats.get(owner) ?? newStats(owner);
  for (const d of item.docs) {
    s.documents++;
    if (d.bytes > s.largestBytes) {
      s.largestBytes = d.bytes;
      s.largestPath = d.path;
    }
    if (d.depth > s.deepest) s.deepest = d.depth;
    if (d.indexEntries > s.maxIndexEntries) s.maxIndexEntries = d.indexEntries;
    s.escapedKeys += d.escapedKeys;
  }
  stats.set(owner, s);
}

/** Adds the figures of a task to the totals. */
export function mergeStats(into: Map<string, PreflightStats>, from: TaskResult['stats']): void {
  for (const f of from) {
    const s = into.get(f.table) ?? newStats(f.table);
    s.rows += f.rows;
    s.documents += f.documents;
    s.rejected += f.rejected;
    if (f.largestBytes > s.largestBytes) {
      s.largestBytes = f.largestBytes;
      s.largestPath = f.largestPath;
    }
    s.deepest = Math.max(s.deepest, f.deepest);
    s.maxIndexEntries = Math.max(s.maxIndexEntries, f.maxIndexEntries);
    s.escapedKeys += f.escapedKeys;
    for (const [k, n] of f.reasons) s.reasons.set(k, (s.reasons.get(k) ?? 0) + n);
    into.set(f.table, s);
  }
}

/** Runs one task: its rows transformed and checked, its output spilled, its figures returned. */
export async function runTask(unit: Unit, task: PreflightTask, onRows: (rows: number) => void): Promise<TaskResult> {
  const stats = new Map<string, PreflightStats>();
  const rejects: RejectedRow[] = [];
  const spill = task.file ? new SpillWriter(task.file, new WriteEncoder(task.database)) : null;
  let rows = 0;
  try {
    for await (const page of unit.items(task.after, task.until)) {
      for (const item of page) {
        observe(stats, item);
        if (task.collectRejects) rejects.push(...item.rejects);
      }
      await spill?.write(page);
      rows += page.length;
      onRows(page.length);
    }
  } finally {
    await spill?.close();
  }
  return { id: task.id, rows, stats: [...stats.values()].map((s) => ({ ...s, reasons: [...s.reasons] })), rejects };
}

const fmt = (n: number): string => n.toLocaleString('en');

/** The pre-flight's figures per table, and the most frequent rejection reasons. */
export function formatPreflight(stats: PreflightStats[]): string[] {
  const head = ['table', 'rows', 'documents', 'rejected', 'largest doc (bytes)', 'deepest', 'max index entries', 'escaped keys'];
  const rows = stats.map((s) => [
    s.table,
    fmt(s.rows),
    fmt(s.documents),
    fmt(s.rejected),
    fmt(s.largestBytes),
    String(s.deepest),
    fmt(s.maxIndexEntries),
    fmt(s.escapedKeys),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const out = [line(head), line(widths.map((w) => '-'.repeat(w)))];
  for (const r of rows) out.push(line(r));
  for (const s of stats) {
    for (const [kind, n] of [...s.reasons].sort((a, b) => b[1] - a[1]).slice(0, 5)) out.push(`  ${s.table}: ${fmt(n)} × ${kind}`);
  }
  return out;
}
