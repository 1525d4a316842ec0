/**
 * An account with something in every place that names it — its own subtree, money records, guest
 * records made with its e-mail, community, marketing, analytics, AI, tokens, referrals, coaching —
 * for the export and deletion tests. Every id carries the account's tag, so accounts seeded in one
 * project never touch each other's documents.
 */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import {
  aiLogs,
  analyticsEvents,
  bookings,
  calBookings,
  communityComments,
  communityPosts,
  communityReports,
  eventRegistrations,
  experimentAssignments,
  goals,
  inbox,
  leads,
  orders,
  payments,
  pushSubscriptions,
  receipts,
  referrals,
  sessions,
  socialAccountTokens,
  users,
  type AppRole,
  type OrderDoc,
} from '@zhengrowth/model';
import { put } from '@zhengrowth/devstack/testing';

const T = Timestamp.fromDate(new Date('2026-03-01T09:30:00.000Z'));

export function profileDoc(email: string, roles: AppRole[] = ['client'], extra: Partial<ReturnType<typeof base>> = {}) {
  return { ...base(email, roles), ...extra };
}

function base(email: string, roles: AppRole[]) {
  return {
    profile_id: null,
    email,
    name: 'Seeded Person',
    avatar_url: null,
    lang: 'en',
    timezone: 'Europe/London',
    created_at: T,
    updated_at: null,
    metadata: { tone: 'warm' },
    roles,
    role_grants: Object.fromEntries(roles.map((r) => [r, { id: `grant-${r}`, created_at: T }])),
  };
}

export function orderDoc(userId: string | null, email: string, number: string): OrderDoc {
  return {
    order_number: number,
    user_id: userId,
    customer_email: email,
    customer_name: 'Seeded Person',
    // A migrated order's jsonb: an escaped key and an array in an array (decoded by the export).
    items: [{ '~__id__': 'line-1', sizes: [{ '~array': [1, 2] }] }],
    subtotal_minor: 4200,
    tax_minor: 0,
    total_minor: 4200,
    currency: 'USD',
    payment_provider: 'stripe',
    payment_id: `cs_${number}`,
    status: 'paid',
    metadata: null,
    created_at: T,
    updated_at: null,
  };
}

const PATH_KEYS = [
  'profile',
  'goal',
  'session',
  'receipt',
  'push',
  'inbox',
  'order',
  'guestOrder',
  'payment',
  'booking',
  'calBooking',
  'registration',
  'post',
  'comment',
  'report',
  'lead',
  'analytics',
  'aiLog',
  'assignment',
  'token',
  'referredBy',
] as const;
type PathKey = (typeof PATH_KEYS)[number];

export interface SeededAccount {
  uid: string;
  email: string;
  tag: string;
  /** Paths of what the account owns or is named in (by uid or its e-mail). */
  paths: Record<PathKey, string>;
}

/**
 * Seeds the documents of an account `uid` with `email`; `coachOf` is a client whose coach it is,
 * `referrer` a user whose referral names it. The Auth user is not made here.
 */
export async function seedAccountData(
  db: Firestore,
  uid: string,
  email: string,
  tag: string,
  opts: { roles?: AppRole[]; otherUid: string },
): Promise<SeededAccount> {
  const p: Partial<Record<PathKey, string>> = {};
  const at = async (key: PathKey, path: string, write: (path: string) => Promise<void>): Promise<void> => {
    p[key] = path;
    await write(path);
  };
  await at('profile', users.docPath({ uid }), (path) => put(db.doc(path).withConverter(users.converter), profileDoc(email, opts.roles)));
  await at('goal', goals.docPath({ uid, goalId: `${tag}-goal` }), (path) =>
    put(db.doc(path).withConverter(goals.converter), {
      user_id: uid,
      title: 'Run 10 km',
      description: null,
      status: 'active',
      target_date: '2026-09-01',
      progress_percent: 10,
      created_at: T,
      updated_at: null,
    }),
  );
  await at('session', sessions.docPath({ uid, sessionId: `${tag}-session` }), (path) =>
    put(db.doc(path).withConverter(sessions.converter), {
      user_id: uid,
      coach_id: opts.otherUid,
      booking_id: null,
      session_date: T,
      notes: 'first session',
      action_items: [{ '~array': ['breathe', 'walk'] }],
      status: 'completed',
      created_at: T,
      updated_at: null,
    }),
  );
  await at('receipt', receipts.docPath({ uid, receiptId: `${tag}-order` }), (path) =>
    put(db.doc(path).withConverter(receipts.converter), {
      user_id: uid,
      order_id: `${tag}-order`,
      amount_minor: 4200,
      currency: 'USD',
      receipt_url: null,
      issued_at: T,
      metadata: null,
    }),
  );
  await at('push', pushSubscriptions.docPath({ uid, subscriptionId: `${tag}-push` }), (path) =>
    put(db.doc(path).withConverter(pushSubscriptions.converter), {
      user_id: uid,
      endpoint: `https://push.example/${tag}`,
      p256dh: 'k',
      auth: 'a',
      user_agent: null,
      active: true,
      created_at: T,
      last_used_at: null,
    }),
  );
  await at('inbox', inbox.docPath({ uid, itemId: `${tag}-note` }), (path) =>
    put(db.doc(path).withConverter(inbox.converter), {
      user_id: uid,
      type: 'info',
      title: 'Hello',
      message: 'Welcome',
      action_url: null,
      read: false,
      read_at: null,
      metadata: null,
      created_at: T,
      expires_at: null,
    }),
  );
  await at('order', orders.docPath({ orderId: `${tag}-order` }), (path) =>
    put(db.doc(path).withConverter(orders.converter), orderDoc(uid, email, `ZG-${tag}`)),
  );
  await at('guestOrder', orders.docPath({ orderId: `${tag}-guest-order` }), (path) =>
    put(db.doc(path).withConverter(orders.converter), orderDoc(null, email, `ZG-${tag}-G`)),
  );
  await at('payment', payments.docPath({ paymentId: `${tag}-payment` }), (path) =>
    put(db.doc(path).withConverter(payments.converter), {
      user_id: uid,
      order_id: `${tag}-order`,
      amount_minor: 4200,
      currency: 'USD',
      provider: 'stripe',
      provider_id: `pi_${tag}`,
      status: 'succeeded',
      metadata: null,
      created_at: T,
    }),
  );
  await at('booking', bookings.docPath({ bookingId: `${tag}-booking` }), (path) =>
    put(db.doc(path).withConverter(bookings.converter), {
      booking_token: `tok-${tag}`,
      cal_booking_id: null,
      customer_email: email,
      customer_name: 'Seeded Person',
      event_type_id: null,
      amount_minor: 9000,
      currency: 'USD',
      payment_id: null,
      status: 'paid',
      metadata: null,
      created_at: T,
      updated_at: null,
      user_id: uid,
    }),
  );
  await at('calBooking', calBookings.docPath({ calBookingDocId: `${tag}-cal` }), (path) =>
    put(db.doc(path).withConverter(calBookings.converter), {
      cal_booking_id: null,
      event_id: null,
      user_id: uid,
      attendee_email: email,
      attendee_name: 'Seeded Person',
      start_time: T,
      end_time: null,
      status: 'confirmed',
      meeting_url: null,
      metadata: null,
      created_at: T,
      updated_at: null,
    }),
  );
  await at('registration', eventRegistrations.docPath({ eventId: `${tag}-event`, registrationId: `${tag}-reg` }), (path) =>
    put(db.doc(path).withConverter(eventRegistrations.converter), {
      event_id: `${tag}-event`,
      user_id: null,
      attendee_email: email,
      attendee_name: 'Seeded Person',
      ticket_type: null,
      status: 'registered',
      checked_in: false,
      payment_status: 'paid',
      amount_paid_minor: 2000,
      currency: 'USD',
      metadata: null,
      registered_at: T,
      updated_at: null,
    }),
  );
  const post = (author: string, id: string) =>
    put(db.doc(communityPosts.docPath({ postId: id })).withConverter(communityPosts.converter), {
      author_id: author,
      title: 'My week',
      content: 'It went well',
      tags: [],
      likes_count: 0,
      comments_count: 0,
      published: true,
      pinned: false,
      metadata: null,
      created_at: T,
      updated_at: null,
    });
  await at('post', communityPosts.docPath({ postId: `${tag}-post` }), () => post(uid, `${tag}-post`));
  // A comment on someone else's post.
  await post(opts.otherUid, `${tag}-others-post`);
  await at('comment', communityComments.docPath({ postId: `${tag}-others-post`, commentId: `${tag}-comment` }), (path) =>
    put(db.doc(path).withConverter(communityComments.converter), {
      post_id: `${tag}-others-post`,
      author_id: uid,
      content: 'Nice!',
      parent_id: null,
      likes_count: 0,
      created_at: T,
      updated_at: null,
    }),
  );
  await at('report', communityReports.docPath({ reportId: `${tag}-report` }), (path) =>
    put(db.doc(path).withConverter(communityReports.converter), {
      reporter_id: uid,
      content_type: 'post',
      content_id: `${tag}-others-post`,
      reason: 'spam',
      description: null,
      status: 'pending',
      reviewed_by: null,
      reviewed_at: null,
      action_taken: null,
      created_at: T,
    }),
  );
  await at('lead', leads.docPath({ leadId: `${tag}-lead` }), (path) =>
    put(db.doc(path).withConverter(leads.converter), {
      email,
      name: 'Seeded Person',
      phone: null,
      source: 'form',
      stage: 'new',
      status: 'active',
      owner: null,
      tags: [],
      notes: null,
      score: 0,
      metadata: {},
      created_at: T,
      updated_at: T,
      last_contacted_at: null,
    }),
  );
  await at('analytics', analyticsEvents.docPath({ eventId: `${tag}-view` }), (path) =>
    put(db.doc(path).withConverter(analyticsEvents.converter), {
      event_name: 'page_view',
      user_id: uid,
      session_id: 's1',
      properties: { page: '/home' },
      page_url: 'https://zhengrowth.com/',
      referrer: null,
      user_agent: 'Mozilla/5.0',
      ip_address: '203.0.113.7',
      created_at: T,
    }),
  );
  await at('aiLog', aiLogs.docPath({ logId: `${tag}-ai` }), (path) =>
    put(db.doc(path).withConverter(aiLogs.converter), {
      mode: 'coach',
      route: null,
      prompt: 'How do I start?',
      response: 'Small steps.',
      model: null,
      tokens_used: 12,
      duration_ms: null,
      error: null,
      metadata: null,
      at: T,
      user_id: uid,
    }),
  );
  await at('assignment', experimentAssignments.docPath({ assignmentId: `${tag}-exp` }), (path) =>
    put(db.doc(path).withConverter(experimentAssignments.converter), {
      experiment_key: 'hero',
      user_id: uid,
      session_id: null,
      variant: 'b',
      assigned_at: T,
    }),
  );
  await at('token', socialAccountTokens.docPath({ accountId: `${tag}-social` }), (path) =>
    put(db.doc(path).withConverter(socialAccountTokens.converter), {
      user_id: uid,
      account_id: `${tag}-social`,
      access_token: 'secret-access',
      refresh_token: 'secret-refresh',
    }),
  );
  await at('referredBy', referrals.docPath({ uid: opts.otherUid, referralId: `${tag}-ref` }), (path) =>
    put(db.doc(path).withConverter(referrals.converter), {
      referrer_id: opts.otherUid,
      referee_email: email,
      referee_id: uid,
      status: 'completed',
      reward_amount_minor: 500,
      currency: 'USD',
      reward_claimed: false,
      created_at: T,
      completed_at: T,
    }),
  );
  const missing = PATH_KEYS.filter((k) => p[k] === undefined);
  if (missing.length) throw new Error(`seeded without ${missing.join(', ')}`);
  return { uid, email, tag, paths: p as Record<PathKey, string> };
}
