/**
 * What a sync writes, per source key, in one atomic batch with its neighbours: the documents the
 * row becomes now, deletes of the documents it no longer has, and its reject record set (the row
 * is rejected now) or deleted (it no longer is, or the row is gone). Commits go through the same
 * committer as a run (retries, governor, the lease checked before each commit).
 */
import type { MigrationRejectDoc } from '@zhengrowth/model';
import type { MigrationContext } from '../context/index.js';
import { rejectId, type MigrationState } from '../state/index.js';
import type { DocWrite } from '../transform/index.js';
import type { RejectedRow } from '../units/index.js';
import { WriteEncoder } from '../codecs/wire.js';
import { UnitWriter, type Committer } from '../target/writer.js';
import { migrationRejects } from '@zhengrowth/model';

export interface SyncCounts {
  rows: number;
  written: number;
  deleted: number;
  rejected: number;
}

export const emptySyncCounts = (): SyncCounts => ({ rows: 0, written: 0, deleted: 0, rejected: 0 });

export class SyncWrites {
  private readonly encoder: WriteEncoder;
  private readonly writer: UnitWriter;

  constructor(
    private readonly ctx: MigrationContext,
    committer: Committer,
    label: string,
    private readonly runId: string,
    /** Reject records as they stand (updated as this sync changes them). */
    private readonly rejects: Map<string, MigrationRejectDoc>,
    readonly counts: SyncCounts,
  ) {
    this.encoder = new WriteEncoder(ctx.commits.database);
    // Sync keeps no checkpoint per key: the slot (or the snapshot) moves only after every batch committed.
    this.writer = new UnitWriter(committer, label, { key: null, counts: {} }, () => Promise.resolve());
  }

  private get state(): MigrationState {
    return this.ctx.state;
  }

  /**
   * One source key: its documents now, the paths it must no longer have, the rows of it rejected
   * now, the rows it accounts for. A reject that is already recorded with the same reason is not
   * written again, so a sync over an unchanged source writes nothing.
   */
  async put(
    key: string,
    docs: readonly DocWrite[],
    stale: Iterable<string>,
    rejected: readonly RejectedRow[],
    rows: ReadonlyArray<{ table: string; key: string }>,
  ): Promise<void> {
    const writes: Buffer[] = [];
    let n = 0;
    if (docs.length) {
      writes.push(this.encoder.encodeMany(docs));
      n += docs.length;
      this.counts.written += docs.length;
    }
    const deletes = [...stale];
    this.counts.deleted += deletes.length;
    const rejectedNow = new Set(rejected.map((r) => `${r.table}\u0000${r.key}`));
    for (const r of rejected) {
      const id = `${r.table}\u0000${r.key}`;
      const known = this.rejects.get(id);
      if (known?.status === 'rejected' && known.reason === r.reason) continue;
      const w = this.state.rejectWrite({ table: r.table, key: r.key, reason: r.reason, row: r.row, runId: this.runId });
      writes.push(this.encoder.encode(w.path, w.data));
      n++;
      this.rejects.set(id, w.data as MigrationRejectDoc);
      this.counts.rejected++;
    }
    // A row that is no longer rejected (fixed, replaced or gone) loses its record.
    for (const r of rows) {
      const id = `${r.table}\u0000${r.key}`;
      if (rejectedNow.has(id) || !this.rejects.has(id)) continue;
      deletes.push(migrationRejects.docPath({ rejectId: rejectId(r.table, r.key) }));
      this.rejects.delete(id);
    }
    if (deletes.length) {
      writes.push(this.encoder.encodeDeletes(deletes));
      n += deletes.length;
    }
    if (n === 0) return;
    this.counts.rows++;
    await this.writer.push({ key, writes, docs: n, counts: [] });
  }

  async finish(): Promise<void> {
    await this.writer.finish();
  }
}
