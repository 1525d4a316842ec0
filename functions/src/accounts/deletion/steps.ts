/**
 * The steps of an account deletion (DELETION_STEPS, in that order). Each is idempotent and
 * resumable: it rewrites or deletes the documents its queries find, and every rewrite takes the
 * document out of the query (the uid becomes the tombstone id, the e-mail becomes ''), so running a
 * step again — after a crash in the middle of it — finds only what is left.
 *
 * Kept for accounting, under the tombstone id with the personal fields blanked: orders, payments,
 * paid bookings, event registrations, Cal.com bookings (the coaches' history), and the receipts
 * (moved to receipt_archive first, since they live under users/{uid}). Kept as a deleted user's:
 * community posts, comments and reports, referrals naming them, sessions they coached. Deleted:
 * users/{uid} and everything under it (push subscriptions included), leads with their verified
 * e-mail, AI logs, experiment assignments, OAuth tokens, the Auth user. Analytics events stay
 * without user, IP or user agent (the counts stay right).
 */
import type { Auth } from 'firebase-admin/auth';
import type { Firestore, Query, Timestamp, UpdateData, DocumentData } from 'firebase-admin/firestore';
import {
  aiLogsOfUser,
  analyticsOfUser,
  bookingsMine,
  bookingsOfUser,
  calBookingsMine,
  calBookingsOfUser,
  commentsByAuthor,
  communityPostsByAuthor,
  experimentAssignmentsMine,
  leadsByEmail,
  ordersByCustomerEmail,
  ordersMine,
  paymentsOfUser,
  receiptArchive,
  receipts,
  referralsByReferee,
  registrationsByEmail,
  registrationsMine,
  reportsByReporter,
  sessionsOfCoach,
  socialTokensOfUser,
  users,
  usersOfCoach,
  type DeletionStep,
  type QuerySpec,
} from '@zhengrowth/model';
import { batchSet } from '../../core/firestore.js';
import { buildQuery } from '../../core/query.js';
import { isUserNotFound } from '../deps.js';

export interface DeletionContext {
  db: Firestore;
  auth: Auth;
  uid: string;
  /** What kept records name instead of the uid. */
  tombstone: string;
  /** The account's e-mail if verified: records made with it (as a guest) are theirs too. */
  email: string | null;
  now: Timestamp;
}

const PAGE = 200;
const MAX_PAGES = 10_000;

type Change = UpdateData<DocumentData> | 'delete';

/** Applies `change` to what `query` finds, a page at a time, until it finds nothing (each change removes a document from it). */
async function drain(db: Firestore, query: Query, change: Change): Promise<void> {
  for (let page = 0; page < MAX_PAGES; page++) {
    const snap = await query.limit(PAGE).get();
    if (snap.empty) return;
    const batch = db.batch();
    for (const d of snap.docs) {
      if (change === 'delete') batch.delete(d.ref);
      else batch.update(d.ref, change);
    }
    await batch.commit();
  }
  throw new Error('a deletion step kept finding the same documents');
}

const q = (ctx: DeletionContext, spec: QuerySpec, value: string): Query => buildQuery(ctx.db, spec, [value]);

/** The uid's records and (verified e-mail) the guest records: the user's become the tombstone's; both lose the personal fields. */
async function blank(ctx: DeletionContext, byUid: QuerySpec, byEmail: QuerySpec | null, personal: Record<string, null | ''>): Promise<void> {
  await drain(ctx.db, q(ctx, byUid, ctx.uid), { ...personal, user_id: ctx.tombstone });
  if (byEmail && ctx.email) await drain(ctx.db, q(ctx, byEmail, ctx.email), personal);
}

async function archiveReceipts(ctx: DeletionContext): Promise<void> {
  const list = await ctx.db
    .collection(receipts.collectionPath({ uid: ctx.uid }))
    .withConverter(receipts.converter)
    .get();
  for (let i = 0; i < list.docs.length; i += PAGE) {
    const batch = ctx.db.batch();
    for (const d of list.docs.slice(i, i + PAGE)) {
      const ref = ctx.db.doc(receiptArchive.docPath({ archiveId: `${ctx.tombstone}:${d.id}` })).withConverter(receiptArchive.converter);
      batchSet(batch, ref, { ...d.data(), user_id: ctx.tombstone, receipt_id: d.id, archived_at: ctx.now });
    }
    await batch.commit();
  }
}

export const STEPS: Readonly<Record<DeletionStep, (ctx: DeletionContext) => Promise<void>>> = {
  receipts: archiveReceipts,
  orders: (ctx) => blank(ctx, ordersMine, ordersByCustomerEmail, { customer_email: '', customer_name: null }),
  payments: (ctx) => drain(ctx.db, q(ctx, paymentsOfUser, ctx.uid), { user_id: ctx.tombstone }),
  bookings: (ctx) => blank(ctx, bookingsOfUser, bookingsMine, { customer_email: '', customer_name: null }),
  cal_bookings: (ctx) => blank(ctx, calBookingsOfUser, calBookingsMine, { attendee_email: '', attendee_name: null }),
  registrations: (ctx) => blank(ctx, registrationsMine, registrationsByEmail, { attendee_email: '', attendee_name: null }),
  community: async (ctx) => {
    await drain(ctx.db, q(ctx, communityPostsByAuthor, ctx.uid), { author_id: ctx.tombstone });
    await drain(ctx.db, q(ctx, commentsByAuthor, ctx.uid), { author_id: ctx.tombstone });
    await drain(ctx.db, q(ctx, reportsByReporter, ctx.uid), { reporter_id: ctx.tombstone });
  },
  referrals: (ctx) => drain(ctx.db, q(ctx, referralsByReferee, ctx.uid), { referee_id: ctx.tombstone, referee_email: '' }),
  coaching: async (ctx) => {
    // A deleted coach: their sessions with clients stay (the clients' history), their clients have no coach.
    await drain(ctx.db, q(ctx, sessionsOfCoach, ctx.uid), { coach_id: ctx.tombstone });
    await drain(ctx.db, q(ctx, usersOfCoach, ctx.uid), { coach_id: null });
  },
  marketing: async (ctx) => {
    if (ctx.email) await drain(ctx.db, q(ctx, leadsByEmail, ctx.email), 'delete');
  },
  analytics: async (ctx) => {
    await drain(ctx.db, q(ctx, analyticsOfUser, ctx.uid), { user_id: null, ip_address: null, user_agent: null });
    await drain(ctx.db, q(ctx, aiLogsOfUser, ctx.uid), 'delete');
    await drain(ctx.db, q(ctx, experimentAssignmentsMine, ctx.uid), 'delete');
  },
  tokens: (ctx) => drain(ctx.db, q(ctx, socialTokensOfUser, ctx.uid), 'delete'),
  profile: (ctx) => ctx.db.recursiveDelete(ctx.db.doc(users.docPath({ uid: ctx.uid }))),
  auth: async (ctx) => {
    try {
      await ctx.auth.deleteUser(ctx.uid);
    } catch (err) {
      if (!isUserNotFound(err)) throw err;
    }
  },
};
