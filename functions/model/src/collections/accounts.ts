import { z } from 'zod';
import { defineCollection } from '../collection.js';
import { int, json, timestamp, uid } from '../primitives.js';
import { receiptSchema } from './users.js';

/** What an admin (or the system) did to an account: the audit trail of the accounts callables. */
export const AUDIT_ACTIONS = ['set_roles', 'assign_coach', 'delete_user'] as const;
export const auditEntrySchema = z.strictObject({
  action: z.enum(AUDIT_ACTIONS),
  /** Who did it; null for the system (an account deleted in the Firebase console). */
  actor_uid: uid.nullable(),
  /** Whose account it was about. */
  subject_uid: uid,
  at: timestamp,
  /** The state before and after (roles, coach), as small JSON. */
  before: json.nullable(),
  after: json.nullable(),
});
export type AuditEntryDoc = z.infer<typeof auditEntrySchema>;
export const auditLog = defineCollection({
  collection: 'audit_log',
  idParam: 'entryId',
  schema: auditEntrySchema,
  sources: [],
  access: 'server-only',
  idFrom: 'auto id (an action that changes nothing is not recorded, so a retried call adds no entry)',
  description: 'Who changed whose roles or coach, or deleted whose account, when, and from what to what. Admin SDK only.',
});

/** The steps of an account deletion, in order (functions/src/accounts/deletion). */
export const DELETION_STEPS = [
  'receipts',
  'orders',
  'payments',
  'bookings',
  'cal_bookings',
  'registrations',
  'community',
  'referrals',
  'coaching',
  'marketing',
  'analytics',
  'tokens',
  'profile',
  'auth',
] as const;
export const deletionStep = z.enum(DELETION_STEPS);
export type DeletionStep = z.infer<typeof deletionStep>;

/**
 * One account deletion, started by deleteMyAccount, deleteUser or the Auth onDelete trigger. Every
 * step is idempotent; `steps_done` lets a retry skip what is finished, and the record stays once
 * done so that a late trigger (or a second request) finds nothing left to do.
 */
export const accountDeletionSchema = z.strictObject({
  status: z.enum(['running', 'done']),
  reason: z.enum(['self', 'admin', 'auth_deleted']),
  /** The admin who asked (deleteUser); the user (deleteMyAccount); null for the Auth trigger. */
  requested_by: uid.nullable(),
  /** What kept records (orders, payments, archived receipts, posts) name instead of the uid. */
  tombstone_id: z.string().min(1).max(128),
  steps_done: z.array(deletionStep),
  attempts: int,
  started_at: timestamp,
  updated_at: timestamp,
  finished_at: timestamp.nullable(),
});
export type AccountDeletionDoc = z.infer<typeof accountDeletionSchema>;
export const accountDeletions = defineCollection({
  collection: 'account_deletions',
  idParam: 'uid',
  schema: accountDeletionSchema,
  sources: [],
  access: 'server-only',
  idFrom: 'the deleted user’s uid',
  description: 'Progress of account deletions (steps done, tombstone id), so that a retry after a crash finishes the job. Admin SDK only.',
});

/** A deleted user's receipt, kept for accounting under the tombstone id. */
export const archivedReceiptSchema = receiptSchema.extend({
  /** The tombstone id of the deleted user (not their uid). */
  user_id: z.string().min(1).max(128),
  /** The receipt's id under users/{uid}/receipts. */
  receipt_id: z.string().min(1).max(1500),
  archived_at: timestamp,
});
export type ArchivedReceiptDoc = z.infer<typeof archivedReceiptSchema>;
export const receiptArchive = defineCollection({
  collection: 'receipt_archive',
  idParam: 'archiveId',
  schema: archivedReceiptSchema,
  sources: [],
  access: 'server-only',
  idFrom: '`{tombstone id}:{receipt id}` (a retried deletion archives a receipt once)',
  description:
    'Receipts of deleted accounts, moved out of users/{uid}/receipts before the account goes: the business keeps them for accounting. Admin SDK only.',
});
