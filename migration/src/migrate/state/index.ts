/**
 * The migration's own state in Firestore (the server-only collections of the model's
 * collections/migration.ts): the run record, a checkpoint per unit, and every rejected row.
 */
import { createHash } from 'node:crypto';
import {
  migrationCheckpoints,
  migrationRejects,
  migrationRuns,
  type MigrationCheckpointDoc,
  type MigrationRejectDoc,
  type MigrationRunDoc,
} from '@zhengrowth/model';
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import type { SourceRow } from '../sources/catalog.js';
import type { Counts } from '../target/writer.js';
import { withRetries } from '../target/retries.js';

/** A reject record keeps the whole row when it fits comfortably in a document; the rejects file always has it. */
const MAX_ROW_BYTES_IN_STATE = 256 * 1024;
const MAX_ATTEMPTS_KEPT = 20;

export function rejectId(table: string, key: string): string {
  return `${table}:${createHash('sha256').update(key).digest('hex')}`;
}

export function runIdOf(input: { sourceKind: string; source: string; units: readonly string[]; uidMap: string }): string {
  const canonical = JSON.stringify([input.sourceKind, input.source, [...input.units].sort(), input.uidMap]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 24);
}

function rowBytes(row: SourceRow): number {
  return Buffer.byteLength(JSON.stringify(row));
}

export type Status = MigrationRunDoc['status'];
export type Attempt = MigrationRunDoc['attempts'][number];

export class MigrationState {
  constructor(private readonly db: Firestore) {}

  private runRef(id: string) {
    return this.db.doc(migrationRuns.docPath({ runId: id })).withConverter(migrationRuns.converter);
  }

  private checkpointRef(unit: string) {
    return this.db.doc(migrationCheckpoints.docPath({ unit })).withConverter(migrationCheckpoints.converter);
  }

  async run(id: string): Promise<MigrationRunDoc | null> {
    const snap = await this.runRef(id).get();
    return snap.exists ? (snap.data() ?? null) : null;
  }

  /** Every run record, the latest first. */
  async runs(): Promise<Array<{ id: string; doc: MigrationRunDoc }>> {
    const snap = await this.db.collection(migrationRuns.collectionPath({})).withConverter(migrationRuns.converter).get();
    return snap.docs.map((d) => ({ id: d.id, doc: d.data() })).sort((a, b) => b.doc.updated_at.toMillis() - a.doc.updated_at.toMillis());
  }

  /** The latest run that did not finish (running when killed, or failed). */
  async unfinished(): Promise<{ id: string; doc: MigrationRunDoc } | null> {
    return (await this.runs()).find((r) => r.doc.status === 'running' || r.doc.status === 'failed') ?? null;
  }

  async saveRun(id: string, doc: MigrationRunDoc): Promise<void> {
    doc.attempts = doc.attempts.slice(-MAX_ATTEMPTS_KEPT);
    await withRetries('saving the run record', () => this.runRef(id).set(doc), null);
  }

  async checkpoint(unit: string): Promise<MigrationCheckpointDoc | null> {
    const snap = await this.checkpointRef(unit).get();
    return snap.exists ? (snap.data() ?? null) : null;
  }

  async checkpoints(): Promise<Map<string, MigrationCheckpointDoc>> {
    const snap = await this.db.collection(migrationCheckpoints.collectionPath({})).withConverter(migrationCheckpoints.converter).get();
    return new Map(snap.docs.map((d) => [d.id, d.data()]));
  }

  async saveCheckpoint(unit: string, doc: Omit<MigrationCheckpointDoc, 'updated_at'>): Promise<void> {
    await withRetries(`checkpoint of ${unit}`, () => this.checkpointRef(unit).set({ ...doc, updated_at: Timestamp.now() }), null);
  }

  /** Starts units afresh: their checkpoints at the beginning, their old reject records gone. */
  async reset(runId: string, units: ReadonlyArray<{ unit: string; tables: string[] }>): Promise<void> {
    const batch = this.db.batch();
    for (const u of units) {
      const doc = { run_id: runId, tables: u.tables, last_key: null, done: false, counts: emptyCounts(u.tables), updated_at: Timestamp.now() };
      batch.set(this.db.doc(migrationCheckpoints.docPath({ unit: u.unit })), migrationCheckpoints.schema.parse(doc));
    }
    await withRetries('resetting the checkpoints', () => batch.commit(), null);
    await this.deleteRejects(units.flatMap((u) => u.tables));
  }

  private async deleteRejects(tables: readonly string[]): Promise<void> {
    const col = this.db.collection(migrationRejects.collectionPath({}));
    // `in` takes up to 30 values.
    for (let i = 0; i < tables.length; i += 30) {
      const chunk = tables.slice(i, i + 30);
      for (;;) {
        const snap = await col.where('table', 'in', chunk).select().limit(400).get();
        if (snap.empty) break;
        const batch = this.db.batch();
        for (const d of snap.docs) batch.delete(d.ref);
        await withRetries('clearing old reject records', () => batch.commit(), null);
      }
    }
  }

  /** The document that records a rejected (or replayed) row; written in the same batch as its neighbours. */
  rejectWrite(input: { table: string; key: string; reason: string; row: SourceRow; runId: string; status?: MigrationRejectDoc['status'] }): {
    path: string;
    data: Record<string, unknown>;
  } {
    const doc: MigrationRejectDoc = {
      table: input.table,
      key: input.key,
      reason: input.reason,
      row: rowBytes(input.row) <= MAX_ROW_BYTES_IN_STATE ? input.row : null,
      status: input.status ?? 'rejected',
      run_id: input.runId,
      at: Timestamp.now(),
    };
    migrationRejects.schema.parse(doc);
    return { path: migrationRejects.docPath({ rejectId: rejectId(input.table, input.key) }), data: doc };
  }

  async rejects(tables: readonly string[]): Promise<MigrationRejectDoc[]> {
    const out: MigrationRejectDoc[] = [];
    const col = this.db.collection(migrationRejects.collectionPath({})).withConverter(migrationRejects.converter);
    // `in` takes up to 30 values: two queries for every table of the schema.
    for (let i = 0; i < tables.length; i += 30) {
      const snap = await col.where('table', 'in', tables.slice(i, i + 30)).get();
      for (const d of snap.docs) out.push(d.data());
    }
    return out.sort((a, b) => a.table.localeCompare(b.table) || a.key.localeCompare(b.key));
  }
}

export function emptyCounts(tables: readonly string[]): Counts {
  return Object.fromEntries(tables.map((t) => [t, { written: 0, rejected: 0 }]));
}
