/**
 * The sync record of a run (migration_syncs): written when a new run starts, from how its source
 * was opened — the slot created with its snapshot, or the snapshot alone — so that `sync` knows
 * where to continue, `status` can show the slot and `finish` can drop it even if the run was killed.
 */
import { migrationSyncs, type MigrationSyncDoc } from '@zhengrowth/model';
import { Timestamp } from 'firebase-admin/firestore';
import type { MigrationContext } from '../context/index.js';
import { slotName } from '../sources/slot.js';

export function syncIdOf(ctx: Pick<MigrationContext, 'projectId' | 'source'>): string {
  return slotName(ctx.projectId, ctx.source.description);
}

export function syncRef(ctx: Pick<MigrationContext, 'db'>, syncId: string) {
  return ctx.db.doc(migrationSyncs.docPath({ syncId })).withConverter(migrationSyncs.converter);
}

export async function recordSyncOrigin(ctx: MigrationContext, runId: string): Promise<void> {
  const feed = ctx.source.feed;
  const now = Timestamp.now();
  const ref = syncRef(ctx, syncIdOf(ctx));
  // Tables an earlier run of this source set to FULL stay on the list: `finish` sets them all back.
  const before = (await ref.get()).data()?.full_identity_tables ?? [];
  const doc: MigrationSyncDoc = {
    run_id: runId,
    source: ctx.source.description,
    mechanism: feed.mechanism,
    mechanism_note: feed.note,
    slot: feed.slot,
    publication: feed.publication,
    streamed_tables: feed.streamedTables,
    full_identity_tables: [...new Set([...before, ...feed.fullIdentity])],
    run_snapshot: feed.snapshot,
    snapshot: feed.snapshot,
    lsn: null,
    status: 'active',
    created_at: now,
    updated_at: now,
    syncs: 0,
    last: null,
    cutover: null,
  };
  await ref.set(doc);
}

/**
 * Changes some fields of the sync record and leaves the rest as they are: a sync, a verify (its
 * verified point) and a cutover each write only their own.
 */
export async function updateSync(ctx: Pick<MigrationContext, 'db'>, syncId: string, fields: Partial<MigrationSyncDoc>): Promise<void> {
  await ctx.db.doc(migrationSyncs.docPath({ syncId })).update(fields);
}
