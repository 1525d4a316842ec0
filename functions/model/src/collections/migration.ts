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
