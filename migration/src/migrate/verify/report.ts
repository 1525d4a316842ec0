/** What `verify` finds, per table and row by row (lists capped at MAX_LISTED entries). */

export interface VerifyTable {
  table: string;
  source_rows: number;
  matched: number;
  mismatched: number;
  missing: number;
  rejected: number;
  replayed: number;
}

export interface VerifyReport {
  ok: boolean;
  tables: VerifyTable[];
  mismatches: Array<{ table: string; key: string; path: string; field: string; expected: string; actual: string }>;
  missing: Array<{ table: string; key: string; path: string; reason: string }>;
  rejected: Array<{ table: string; key: string; reason: string }>;
  extras: Array<{ collection: string; path: string }>;
  /** Tables whose document count does not match their rows (cutover's check). */
  counts?: string[];
}

export const MAX_LISTED = 1000;

/** The report being filled, with its per-table counters. */
export class VerifyTally {
  readonly report: VerifyReport = { ok: true, tables: [], mismatches: [], missing: [], rejected: [], extras: [] };
  private readonly perTable = new Map<string, VerifyTable>();

  table(t: string): VerifyTable {
    let s = this.perTable.get(t);
    if (!s) {
      s = { table: t, source_rows: 0, matched: 0, mismatched: 0, missing: 0, rejected: 0, replayed: 0 };
      this.perTable.set(t, s);
    }
    return s;
  }

  missing(entry: VerifyReport['missing'][number]): void {
    this.report.ok = false;
    if (this.report.missing.length < MAX_LISTED) this.report.missing.push(entry);
  }

  mismatch(entry: VerifyReport['mismatches'][number]): void {
    this.report.ok = false;
    if (this.report.mismatches.length < MAX_LISTED) this.report.mismatches.push(entry);
  }

  rejected(entry: VerifyReport['rejected'][number]): void {
    if (this.report.rejected.length < MAX_LISTED) this.report.rejected.push(entry);
  }

  countProblem(problem: string): void {
    this.report.ok = false;
    (this.report.counts ??= []).push(problem);
  }

  finish(): VerifyReport {
    this.report.tables = [...this.perTable.values()].sort((a, b) => a.table.localeCompare(b.table));
    return this.report;
  }
}
