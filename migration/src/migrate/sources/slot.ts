/**
 * The replication slot that makes `sync` lose nothing. A run that may be followed by syncs opens
 * its snapshot through the slot: `CREATE_REPLICATION_SLOT … LOGICAL pgoutput EXPORT_SNAPSHOT` on a
 * replication connection exports the very snapshot at which the slot's stream begins, and every
 * reader of the run imports it — so each change after the copy is in the stream, and none before
 * it. The exported snapshot lives as long as that connection stays idle: it is held, unused, until
 * the run closes its source. pgoutput sends the tables of a publication, created first (it must
 * exist before the slot's start for the decoder to see it).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { quoteIdent, quoteTable } from './catalog.js';

/** The slot (and publication) of one source and project: one per pair, so runs into two projects do not share a stream. */
export function slotName(projectId: string, sourceDescription: string): string {
  return `zg_migrate_${createHash('sha256').update(`${projectId}\u0000${sourceDescription}`).digest('hex').slice(0, 20)}`;
}

export interface SlotOpened {
  /** The replication connection; idle until closed (closing it ends the snapshot, not the slot). */
  client: pg.Client;
  snapshot: string;
  /** Tables whose changes the publication carries (auth.users only when the role may publish it). */
  streamedTables: string[];
  /** Tables set to REPLICA IDENTITY FULL for this slot (they had the default); `finish` sets them back. */
  fullIdentity: string[];
  /** Tables left as they were, and why (the lock was not granted in time, say). */
  fullIdentitySkipped: string[];
}

/** How long ALTER TABLE … REPLICA IDENTITY may wait for its lock: a brief ACCESS EXCLUSIVE lock that queues the app's queries behind it while it waits. */
const IDENTITY_LOCK_TIMEOUT = '2s';

/**
 * REPLICA IDENTITY FULL on the streamed tables that have the default (their primary key): the
 * stream then carries each updated or deleted row's old values, so a sync knows where the row's
 * documents were without searching Firestore (deleted rows, rows moved to another user). The cost
 * is on the source: every UPDATE and DELETE of those tables writes the whole old row to the WAL.
 * A table whose lock is not granted within IDENTITY_LOCK_TIMEOUT is left as it was (syncs then
 * search for its documents, as without the option).
 */
async function setFullIdentity(client: pg.Client, tables: readonly string[]): Promise<{ set: string[]; skipped: string[] }> {
  const res = await client.query<{ t: string }>(
    `SELECT t FROM unnest($1::text[]) AS t WHERE (SELECT relreplident FROM pg_class WHERE oid = to_regclass(t)) = 'd'`,
    [tables.map(quoteTable)],
  );
  const wanted = new Map(tables.map((t) => [quoteTable(t), t]));
  const set: string[] = [];
  const skipped: string[] = [];
  await client.query(`SET lock_timeout = '${IDENTITY_LOCK_TIMEOUT}'`);
  for (const { t } of res.rows) {
    const name = wanted.get(t) ?? t;
    try {
      await client.query(`ALTER TABLE ${t} REPLICA IDENTITY FULL`);
      set.push(name);
    } catch (err) {
      skipped.push(`${name} (${(err as Error).message})`);
    }
  }
  await client.query('RESET lock_timeout');
  return { set, skipped };
}

/** Sets the tables back to REPLICA IDENTITY DEFAULT where they are still FULL; the tables it changed. */
export async function restoreIdentity(client: pg.ClientBase, tables: readonly string[]): Promise<string[]> {
  const restored: string[] = [];
  for (const t of tables) {
    const res = await client.query<{ r: string | null }>('SELECT (SELECT relreplident FROM pg_class WHERE oid = to_regclass($1))::text AS r', [quoteTable(t)]);
    if (res.rows[0]?.r !== 'f') continue;
    await client.query(`ALTER TABLE ${quoteTable(t)} REPLICA IDENTITY DEFAULT`);
    restored.push(t);
  }
  return restored;
}

/** Why no slot: the message of PostgreSQL's refusal, with what to do about it. */
export class NoSlot extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoSlot';
  }
}

function advice(err: Error & { code?: string }): string {
  if (/wal_level/.test(err.message)) return `${err.message} (set wal_level = logical and restart PostgreSQL; Supabase has it)`;
  if (err.code === '42501' || /replication role|permission denied|must be superuser|must be owner/i.test(err.message))
    return `${err.message} (the role needs the REPLICATION attribute and to own the tables; on Supabase, connect as postgres)`;
  if (err.code === '53400') return `${err.message} (raise max_replication_slots / max_wal_senders, or drop unused slots)`;
  return err.message;
}

async function createPublication(client: pg.Client, name: string, tables: readonly string[]): Promise<string[]> {
  await client.query(`DROP PUBLICATION IF EXISTS ${quoteIdent(name)}`);
  try {
    await client.query(`CREATE PUBLICATION ${quoteIdent(name)} FOR TABLE ${tables.map(quoteTable).join(', ')}`);
    return [...tables];
  } catch (err) {
    // auth.users belongs to Supabase's auth admin: the postgres role may read it but not publish it.
    // Its changes are then found by xmin at each sync (it is small).
    const rest = tables.filter((t) => t.includes('.') === false);
    if ((err as { code?: string }).code !== '42501' || rest.length === tables.length) throw err;
    await client.query(`CREATE PUBLICATION ${quoteIdent(name)} FOR TABLE ${rest.map(quoteTable).join(', ')}`);
    return rest;
  }
}

/** Drops a slot and its publication (a slot held by a live connection cannot be dropped: PostgreSQL says so). */
export async function dropSlot(client: pg.ClientBase, name: string): Promise<boolean> {
  const res = await client.query<{ n: string }>('SELECT count(pg_drop_replication_slot(slot_name))::text AS n FROM pg_replication_slots WHERE slot_name = $1', [
    name,
  ]);
  await client.query(`DROP PUBLICATION IF EXISTS ${quoteIdent(name)}`);
  return Number(res.rows[0]?.n ?? 0) > 0;
}

export async function openSlot(url: string, name: string, tables: readonly string[], options: { fullIdentity?: boolean } = {}): Promise<SlotOpened> {
  const admin = new pg.Client({ connectionString: url, application_name: 'zg-migrate' });
  let streamedTables: string[];
  let identity = { set: [] as string[], skipped: [] as string[] };
  // A connection that fails is the source's problem, not the slot's (the caller says so).
  await admin.connect();
  try {
    // A new run starts a new stream: the slot of an earlier run of this source and project goes.
    await dropSlot(admin, name);
    streamedTables = await createPublication(admin, name, tables);
    // Before the slot: every change its stream carries then has the old row.
    // Only the app's tables: auth.users is Supabase's, and its rows' documents are found by key.
    if (options.fullIdentity)
      identity = await setFullIdentity(
        admin,
        streamedTables.filter((t) => !t.includes('.')),
      );
  } catch (err) {
    throw new NoSlot(advice(err as Error));
  } finally {
    await admin.end().catch(() => undefined);
  }
  const client = new pg.Client({ connectionString: url, application_name: 'zg-migrate', replication: 'database' } as pg.ClientConfig);
  client.on('error', () => undefined);
  try {
    await client.connect();
    const res = await client.query<{ snapshot_name: string }>(`CREATE_REPLICATION_SLOT ${quoteIdent(name)} LOGICAL pgoutput EXPORT_SNAPSHOT`);
    const snapshot = res.rows[0]?.snapshot_name;
    if (!snapshot) throw new Error('CREATE_REPLICATION_SLOT exported no snapshot');
    return { client, snapshot, streamedTables, fullIdentity: identity.set, fullIdentitySkipped: identity.skipped };
  } catch (err) {
    await client.end().catch(() => undefined);
    // No slot, so nothing will read old rows: the tables go back as they were (the run goes on without a slot).
    if (identity.set.length) await quietly(url, (c) => restoreIdentity(c, identity.set));
    throw new NoSlot(advice(err as Error));
  }
}

/**
 * Best-effort cleanup on the source on a connection of its own: a failure (nothing to clean, a
 * role that may not) is swallowed, since the caller is already on its way out of an error.
 */
export async function quietly(url: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'zg-migrate' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await work(client);
  } catch {
    // Best effort (see above).
  } finally {
    await client.end().catch(() => undefined);
  }
}
