import { z } from 'zod';
import { defineCollection } from '../collection.js';
import { id, int, timestamp } from '../primitives.js';

/**
 * The state of `zg-migrate run`, kept in Firestore next to the data it describes so that a run
 * killed at any moment can be resumed from anywhere: one record per migration, a checkpoint per
 * unit of work, and every rejected row. Admin SDK only (the rules deny every client access).
 */

const MIGRATION_STATUSES = ['running', 'failed', 'completed', 'completed_with_rejects'] as const;

export const migrationAttemptSchema = z.strictObject({
  started_at: timestamp,
  finished_at: timestamp.nullable(),
  status: z.enum(MIGRATION_STATUSES),
  /** True when this attempt continued an unfinished one (`--resume`). */
  resumed: z.boolean(),
  /** True for `run --replay FILE`. */
  replay: z.boolean(),
  written: int,
  rejected: int,
  error: z.string().nullable(),
});

export const migrationRunSchema = z.strictObject({
  /** `postgres` or `supabase`, and the source without its password. */
  source_kind: z.enum(['postgres', 'supabase']),
  source: z.string(),
  /** The units of work this migration covers (a unit is a table, or zg_profiles + user_roles). */
  units: z.array(z.string()),
  uid_map: z.enum(['same', 'email']),
  status: z.enum(MIGRATION_STATUSES),
  started_at: timestamp,
  updated_at: timestamp,
  finished_at: timestamp.nullable(),
  /** The latest attempts, oldest first (at most 20). */
  attempts: z.array(migrationAttemptSchema),
  /** Per source table, the outcome of the last finished attempt. */
  tables: z.record(z.string(), z.strictObject({ source_rows: int, written: int, rejected: int, duration_ms: int })),
});
export type MigrationRunDoc = z.infer<typeof migrationRunSchema>;
export const migrationRuns = defineCollection({
  collection: 'migration_runs',
  idParam: 'runId',
  schema: migrationRunSchema,
  sources: [],
  access: 'server-only',
  idFrom: 'a hash of the source, the units and the uid mapping: running the same migration again updates its record',
  description: 'What `zg-migrate run` did and is doing: one record per migration, with its latest attempts.',
});

export const migrationCheckpointSchema = z.strictObject({
  run_id: id,
  /** The source tables this unit reads. */
  tables: z.array(z.string()),
  /** The text of the last key done, in key order (null: nothing done yet). Rows up to it are written or rejected. */
  last_key: z.string().nullable(),
  done: z.boolean(),
  /** Rows up to last_key, per source table. */
  counts: z.record(z.string(), z.strictObject({ written: int, rejected: int })),
  updated_at: timestamp,
});
export type MigrationCheckpointDoc = z.infer<typeof migrationCheckpointSchema>;
export const migrationCheckpoints = defineCollection({
  collection: 'migration_checkpoints',
  idParam: 'unit',
  schema: migrationCheckpointSchema,
  sources: [],
  access: 'server-only',
  idFrom: 'the unit of work: a table name, `users` (zg_profiles + user_roles) or `auth.users`',
  description: 'Where each unit of a migration stands: the last primary key whose row is written or rejected.',
});

export const migrationRejectSchema = z.strictObject({
  table: z.string(),
  /** The primary key of the row, as text. */
  key: z.string(),
  reason: z.string(),
  /** The whole source row, every value as PostgreSQL text (null when it does not fit a document; the rejects file has it). */
  row: z.record(z.string(), z.string().nullable()).nullable(),
  /** rejected: not written; replayed: written later from a corrected row (`run --replay`), which `row` then holds. */
  status: z.enum(['rejected', 'replayed']),
  run_id: id,
  at: timestamp,
});
export type MigrationRejectDoc = z.infer<typeof migrationRejectSchema>;
export const migrationRejects = defineCollection({
  collection: 'migration_rejects',
  idParam: 'rejectId',
  schema: migrationRejectSchema,
  sources: [],
  access: 'server-only',
  idFrom: '`{table}:{hex SHA-256 of the key}` (a key may hold characters a document id cannot)',
  description: 'Rows a migration did not write, each with its reason; `verify` lists them as rejected, not missing.',
});

/**
 * One command at a time per project: `run`, `sync`, `files`, `replay` and `cutover` hold this lease
 * while they work and renew it (`heartbeat_at`); a second command refuses, naming the holder. A
 * lease whose holder stopped renewing it (killed, machine gone) is taken over after `expires_at`,
 * or at once when the holder was a process on the same machine that no longer exists.
 */
export const migrationLeaseSchema = z.strictObject({
  /** The command that holds it (`run`, `sync`…), its process and machine. */
  command: z.string(),
  host: z.string(),
  pid: int,
  /** Random per holder: a renewal or release by anyone else changes nothing. */
  token: z.string(),
  acquired_at: timestamp,
  heartbeat_at: timestamp,
  expires_at: timestamp,
});
export type MigrationLeaseDoc = z.infer<typeof migrationLeaseSchema>;
export const migrationLeases = defineCollection({
  collection: 'migration_leases',
  idParam: 'leaseId',
  schema: migrationLeaseSchema,
  sources: [],
  access: 'server-only',
  idFrom: '`zg-migrate`: one lease per project',
  description: 'Which zg-migrate command is working on this project now (run, sync, files, replay, cutover), renewed by its heartbeat.',
});

const SYNC_MECHANISMS = ['slot', 'xmin', 'rewrite'] as const;

export const migrationSyncStatsSchema = z.strictObject({
  started_at: timestamp,
  duration_ms: int,
  /** Changes read (slot: inserts, updates and deletes decoded; xmin/rewrite: rows read as changed). */
  changes: int,
  /** Distinct rows (and users) applied. */
  rows: int,
  written: int,
  deleted: int,
  rejected: int,
});

/**
 * How `zg-migrate sync` catches up with the source after a run, and where it stands: the
 * replication slot created with the run's snapshot (mechanism `slot`, position = the slot's confirmed
 * LSN), or, without one, the snapshot of the last read (`xmin`: rows whose xmin it does not see) or
 * nothing (`rewrite`: the supabase API source, every row again).
 */
export const migrationSyncSchema = z.strictObject({
  /** The run it continues (the latest run from this source into this project). */
  run_id: id,
  source: z.string(),
  mechanism: z.enum(SYNC_MECHANISMS),
  /** Why there is no slot (no REPLICATION privilege, wal_level…), when there is none. */
  mechanism_note: z.string().nullable(),
  slot: z.string().nullable(),
  publication: z.string().nullable(),
  /** Tables whose changes come from the stream (the rest: by xmin). */
  streamed_tables: z.array(z.string()),
  /** Tables the run set to REPLICA IDENTITY FULL (`run --replica-identity-full`; absent: none): `finish` sets them back to DEFAULT. */
  full_identity_tables: z.array(z.string()).optional(),
  /** The verified point: pg_current_snapshot() of the run's read, then of the last sync a passing `verify` proved; `cutover` checks the rows changed since. */
  run_snapshot: z.string().nullable(),
  /** When a `verify` last proved the verified point (absent: never; the point is then the run's own). */
  verified_at: timestamp.nullable().optional(),
  /** pg_current_snapshot() of the last sync's read (xmin mechanism and tables outside the stream). */
  snapshot: z.string().nullable(),
  /** The slot's confirmed LSN after the last sync. */
  lsn: z.string().nullable(),
  status: z.enum(['active', 'finished']),
  created_at: timestamp,
  updated_at: timestamp,
  syncs: int,
  last: migrationSyncStatsSchema.nullable(),
  /** The last cutover: how long each step took. */
  cutover: z
    .strictObject({
      at: timestamp,
      ok: z.boolean(),
      quiet_ms: int,
      sync_ms: int,
      verify_ms: int,
      total_ms: int,
    })
    .nullable(),
});
export type MigrationSyncDoc = z.infer<typeof migrationSyncSchema>;
export const migrationSyncs = defineCollection({
  collection: 'migration_syncs',
  idParam: 'syncId',
  schema: migrationSyncSchema,
  sources: [],
  access: 'server-only',
  idFrom: 'the name of the replication slot: `zg_migrate_` and a hash of the project and the source (one per source and project)',
  description: 'Where `zg-migrate sync` stands after a run: its mechanism, replication slot and position, the last sync.',
});

/**
 * One Supabase Storage object that a URL column points to, as `zg-migrate files` left it: copied
 * (size and MD5 checked, `url` written into the documents), missing in the source (a reject), or
 * failed. The id is a hash of the object, so a second `files` finds what is done.
 */
export const migrationFileSchema = z.strictObject({
  /** The Supabase project URL, bucket and object path. */
  origin: z.string(),
  bucket: z.string(),
  path: z.string(),
  /** Where it went in Cloud Storage: `{bucket}/{path}` in the target bucket. */
  target_bucket: z.string(),
  target_path: z.string(),
  status: z.enum(['copied', 'missing', 'failed']),
  size: int.nullable(),
  /** Base64 MD5 of the bytes, as Cloud Storage reports it. */
  md5: z.string().nullable(),
  content_type: z.string().nullable(),
  cache_control: z.string().nullable(),
  /** The Supabase bucket was public: the new URL is a download URL; private: a gs:// path. */
  public: z.boolean(),
  /** What the URL columns now hold (null until copied). */
  url: z.string().nullable(),
  /** The documents that hold its URL were written with the new one (a second `files` does not touch them). */
  rewritten: z.boolean(),
  reason: z.string().nullable(),
  at: timestamp,
});
export type MigrationFileDoc = z.infer<typeof migrationFileSchema>;
export const migrationFiles = defineCollection({
  collection: 'migration_files',
  idParam: 'fileId',
  schema: migrationFileSchema,
  sources: [],
  access: 'server-only',
  idFrom: 'hex SHA-256 of origin, bucket and path (first 40 characters)',
  description: 'Supabase Storage objects `zg-migrate files` copied to Cloud Storage (or could not), and the URL documents now hold.',
});
