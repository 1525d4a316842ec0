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
  /** Extra documents found, listed or not (the list stops at MAX_LISTED). */
  extraDocuments?: number;
  /** Tables whose document count does not match their rows (cutover's check). */
  counts?: string[];
  /**
   * Rows that do not match (yet) but changed in the source since the last sync (a verify while the
   * app still writes): not failures; the next sync applies them and cutover checks them.
   */
  pending?: { rows: number; listed: Array<{ table: string; key: string; path: string }> };
}

export const MAX_LISTED = 1000;

/** The report being filled, with its per-table counters. */
export class VerifyTally {
  readonly report: VerifyReport = { ok: true, tables: [], mismatches: [], missing: [], rejected: [], extras: [] };
  private readonly perTable = new Map<string, VerifyTable>();
  /** Per unit, the keys of rows changed since the last sync (see VerifyReport.pending). */
  pendingKeys: ReadonlyMap<string, ReadonlySet<string>> | null = null;

  table(t: string): VerifyTable {
    let s = this.perTable.get(t);
    if (!s) {
      s = { table: t, source_rows: 0, matched: 0, mismatched: 0, missing: 0, rejected: 0, replayed: 0 };
      this.perTable.set(t, s);
    }
    return s;
  }

  /** A row that changed since the last sync: counted as pending, not as a failure. */
  private pending(unit: string, entry: { table: string; key: string; path: string }): boolean {
    if (!this.pendingKeys?.get(unit)?.has(entry.key)) return false;
    const p = (this.report.pending ??= { rows: 0, listed: [] });
    p.rows++;
    if (p.listed.length < MAX_LISTED) p.listed.push({ table: entry.table, key: entry.key, path: entry.path });
    return true;
  }

  /** `unit`: the unit whose item it is (the entry's table, unless the users unit). */
  missing(entry: VerifyReport['missing'][number], unit = entry.table): void {
    if (this.pending(unit, entry)) return;
    this.report.ok = false;
    if (this.report.missing.length < MAX_LISTED) this.report.missing.push(entry);
  }

  mismatch(entry: VerifyReport['mismatches'][number], unit = entry.table): void {
    if (this.pending(unit, entry)) return;
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
