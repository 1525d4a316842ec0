/**
 * What `run` (and `--replay`, `sync`) report: per table the source rows, written and rejected, and
 * every rejected row with its reason; the rejects file holds those rows whole, for `--replay`.
 */
import fs from 'node:fs';
import type { SourceTable } from '../sources/catalog.js';
import type { Source } from '../sources/source.js';
import type { MigrationState } from '../state/index.js';
import type { RejectedRow } from '../units/index.js';

export interface TableReport {
  table: string;
  source_rows: number;
  written: number;
  rejected: number;
  duration_ms: number;
}

export interface Report {
  ok: boolean;
  tables: TableReport[];
  rejects: Array<{ table: string; key: string; reason: string }>;
}

export interface RunResult {
  report: Report;
  runId: string | null;
}

/** The run could not go on; the report says how far it got. */
export class MigrationStopped extends Error {
  constructor(
    message: string,
    readonly report: Report,
  ) {
    super(message);
    this.name = 'MigrationStopped';
  }
}

export function writeRejectsFile(file: string, rows: readonly RejectedRow[]): void {
  fs.writeFileSync(file, rows.map((r) => JSON.stringify({ table: r.table, key: r.key, reason: r.reason, row: r.row })).join('\n') + (rows.length ? '\n' : ''));
}

/** The rejected rows, whole: from the state (or the source, for rows too large to keep there). */
export async function deadLetters(state: MigrationState, catalog: Map<string, SourceTable>, tables: string[], source: Source): Promise<RejectedRow[]> {
  const out: RejectedRow[] = [];
  for (const r of await state.rejects(tables)) {
    if (r.status !== 'rejected') continue;
    let row = r.row;
    if (row === null) {
      const t = catalog.get(r.table);
      if (t) row = (await source.byKeys(t, t.primaryKey, [r.key]))[0] ?? null;
    }
    out.push({ table: r.table, key: r.key, reason: r.reason, row: row ?? {} });
  }
  return out;
}
