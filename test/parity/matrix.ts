/**
 * THE access matrix: every Supabase table × operation, with who may do it, as data. Both sides
 * run every case for every actor (actors.ts) against the same fixture (fixture.ts):
 *   - PostgreSQL 15 with the real RLS policies and column privileges (sql-side.ts),
 *   - the Firestore emulator with firestore.rules (firestore-side.ts),
 * and each cell must come out as `allow` says, on both sides. The only permitted difference is a
 * `firestoreStricter` entry: SQL allows those actors, Firebase deliberately refuses them, and the
 * entry says why. There is no "Firestore looser" kind.
 *
 * What the operations mean on each side:
 *   get     SELECT … WHERE pk = $1 returns the row  |  getDoc succeeds
 *   list    the query the app makes (a declared QuerySpec, or a whole collection for admin screens):
 *           SQL allows it when RLS hides none of the rows the query asks for (the rows as the actor
 *           equal the rows as service_role); Firestore allows it when the rules accept the query.
 *           When both allow, both must return the same rows. (RLS filters, Firestore rejects: a
 *           query is "denied" in SQL when RLS had to hide something.)
 *   create  INSERT succeeds                           |  the document write(s) succeed
 *   update  UPDATE … WHERE pk changes the row         |  the same document, rewritten, succeeds
 *   delete  DELETE … WHERE pk removes the row         |  deleteDoc succeeds
 * A SQL error counts as a denial only if it is a privilege/RLS error (42501) or the value is
 * refused by the column type / an unknown column (wrong types, extra keys); anything else fails the
 * suite as a fixture mistake.
 */
import {
  aiSuggestionsByType,
  analyticsByEvent,
  badgesActive,
  badgesOfUser,
  blogPublished,
  blogPublishedByLang,
  blogPublishedByTag,
  bookingsMine,
  calBookingsMine,
  calBookingsUpcoming,
  calEventTypesActive,
  communityCommentsOfPost,
  communityFeed,
  communityPostsByAuthor,
  communityReportsByStatus,
  eventPricesActive,
  eventsUpcoming,
  experimentAssignmentsMine,
  experimentsEnabled,
  goalsOfUser,
  i18nByLang,
  i18nByLangAndNamespace,
  inboxRecent,
  inboxUnread,
  leadsByOwner,
  leadsByStageAndStatus,
  lessonsByModule,
  lessonsPublished,
  lessonsPublishedByModule,
  offersActive,
  ordersMine,
  pushSubscriptionsActive,
  receiptsOfUser,
  registrationsMine,
  registrationsOfEvent,
  sessionsOfCoach,
  sessionsOfUser,
  socialPostsByStatus,
  versionsActive,
  type QuerySpec,
} from '@zhengrowth/model';
import { A, ACTOR_IDS, B, COACH, type ActorId } from './actors.js';
import { FUTURE, NEWCOMER, rowId, T1, T3, type Json, type Row } from './fixture.js';
import { NOW, type DocRole } from './mapping.js';

/** The acting user's uid / e-mail (cases that use them apply to signed-in actors only). */
export const ME = '$me';
export const MY_EMAIL = '$my-email';

export type Kind = 'access' | 'field-guard' | 'validation';

interface CaseBase {
  /** What the case checks, in words (the report prints it). */
  name: string;
  /** Actors allowed in PostgreSQL (and in Firestore unless firestoreStricter says otherwise). */
  allow: readonly ActorId[];
  /** Actors SQL allows and Firebase deliberately refuses, and why. */
  firestoreStricter?: { deny: readonly ActorId[]; reason: string };
  /** Who the case is run as (default: everyone; with ME/MY_EMAIL: the signed-in actors). */
  actors?: readonly ActorId[];
  kind?: Kind;
}

export interface GetCase extends CaseBase {
  op: 'get';
  row: string;
  /** Which of the row's documents Firestore reads (the split-off tokens of a social account). */
  target?: DocRole;
}

export interface ListCase extends CaseBase {
  op: 'list';
  /** The declared query, or 'all': the whole collection (admin screens). */
  query: QuerySpec | 'all';
  /** Path parameters of the collection (uid, eventId, postId, funnelId). */
  params?: Record<string, string>;
  /** Filter values, in the order of query.where. */
  values?: readonly Json[];
}

export interface CreateCase extends CaseBase {
  op: 'create';
  values: Row;
  /** Values the database refuses by type (wrong types): sent raw to both sides. */
  raw?: Row;
  /** Keys that are no column of the table (extra keys). */
  extraKeys?: Row;
}

export interface UpdateCase extends CaseBase {
  op: 'update';
  row: string;
  values: Row;
  extraKeys?: Row;
}

export interface DeleteCase extends CaseBase {
  op: 'delete';
  row: string;
}

export type Case = GetCase | ListCase | CreateCase | UpdateCase | DeleteCase;

export interface TableCases {
  table: string;
  cases: Case[];
}

// ---- who ------------------------------------------------------------------------------------------

const EVERYONE: readonly ActorId[] = ACTOR_IDS;
const SIGNED_IN: readonly ActorId[] = ['clientA', 'clientB', 'coach', 'admin', 'unverified'];
const STAFF: readonly ActorId[] = ['coach', 'admin'];
const ADMIN: readonly ActorId[] = ['admin'];
const NOBODY: readonly ActorId[] = [];

// ---- case builders ----------------------------------------------------------------------------------

type Extra = Partial<Omit<CaseBase, 'name' | 'allow'>>;
const get = (name: string, row: string, allow: readonly ActorId[], extra: Extra & { target?: DocRole } = {}): GetCase => ({
  op: 'get',
  name,
  row,
  allow,
  ...extra,
});
const list = (
  name: string,
  query: QuerySpec | 'all',
  allow: readonly ActorId[],
  extra: Extra & { params?: Record<string, string>; values?: readonly Json[] } = {},
): ListCase => ({
  op: 'list',
  name,
  query,
  allow,
  ...extra,
});
const create = (name: string, values: Row, allow: readonly ActorId[], extra: Extra & { raw?: Row; extraKeys?: Row } = {}): CreateCase => ({
  op: 'create',
  name,
  values,
  allow,
  ...extra,
});
const update = (name: string, row: string, values: Row, allow: readonly ActorId[], extra: Extra & { extraKeys?: Row } = {}): UpdateCase => ({
  op: 'update',
  name,
  row,
  values,
  allow,
  ...extra,
});
const del = (name: string, row: string, allow: readonly ActorId[], extra: Extra = {}): DeleteCase => ({ op: 'delete', name, row, allow, ...extra });

const guard = (): Extra => ({ kind: 'field-guard' });
const invalid: Extra = { kind: 'validation' };
const stricter = (deny: readonly ActorId[], reason: string): Extra => ({ firestoreStricter: { deny, reason } });

// ---- reasons Firebase is stricter (each cell that uses one names it) ----------------------------------

const WHY = {
  roles:
    'roles are the `roles` custom claim as well as users/{uid}.roles; a client cannot set a claim, so role changes go through a callable (Admin SDK) that writes both',
  money:
    'money records (paid bookings, orders, receipts, registrations with payment state) are written only by checkout and the payment webhooks; an admin client editing them would bypass the provider',
  payments: 'provider payment records are server-only in Firebase; admins see payment state through the order callables',
  counter: 'counters are moved only by the server (transactions, triggers); a client-set value would desynchronise them',
  tokens: 'OAuth tokens are split off into social_account_tokens, which only the server reads and writes (not even the owner reads them back)',
  socialAccount:
    'a social account is written by the server only: socialOAuthCallback makes it from a completed OAuth exchange, the token refresh sets its status, disconnectSocialAccount removes it with its tokens',
  socialPost:
    'clients write drafts only: scheduling, rescheduling and cancelling go through the callables (account checks, safe against the publisher), and only the publisher records a publication',
  clientWrite:
    "every client write meets the model's client-write standard (bounded text, typed and bounded lists, json fields in fixed forms checked by the rules): a value PostgreSQL's text[], text or jsonb takes can break every reader of the Firestore document, or make the collection free storage",
  paywall:
    "a paywalled lesson's media (yt_id) lives in lesson_media, readable only with a valid lesson pass from an entitlement; the catalogue entry stays public",
  unique:
    'the value must stay unique (the seed’s unique constraint): documents are created and renamed through an admin callable that claims it in a uniqueness index in the same transaction',
  leadPipeline:
    "a lead's stage moves only through `moveLead`, which allows the pipeline's moves and records each in the lead's history; a direct write keeps it",
  leadEntry:
    'no client creates a lead: a public form calls submitLead, and staff enter a lead through addLead — the same fold into the one lead of its lower-cased e-mail, with its history, lead_created and the opt-in of its address before any funnel e-mail',
  tracking:
    'analytics events are stored only by the track callable (server time, day and TTL, the caller’s network and user agent, batch, size and per-IP limits); clients do not write them',
  completion:
    'lesson completion is recorded by the server only (recordLessonProgress: progress never goes down, lesson_completed is emitted once, badges and funnels follow); a client writes its playback position',
  thread:
    "moderation hides a thread with its post: the comments of a hidden or unpublished post are read only by the post's author and the staff, not by the comment's own author",
  posting:
    'members post and comment through the createPost and addComment callables (posting limits, size limits, ban and disabled checks, reply threading); staff keep their direct writes for moderation',
} as const;

const ALL_BUT_ADMIN: readonly ActorId[] = ['anon', 'clientA', 'clientB', 'coach', 'unverified'];

// ---- fixture references ---------------------------------------------------------------------------

const post = (key: string): string => rowId('community_posts', key);
const lesson = (key: string): string => rowId('lessons', key);
const event = (key: string): string => rowId('events_catalog', key);
const profile = (actor: string): string => rowId('zg_profiles', actor);
const longText = (n: number): string => 'x'.repeat(n);
const manyKeys = (n: number): Record<string, number> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

// ---- the matrix ---------------------------------------------------------------------------------------

export const MATRIX: readonly TableCases[] = [
  {
    table: 'zg_profiles',
    cases: [
      get("client A's profile", 'clientA', ['clientA', 'admin']),
      get("client B's profile", 'clientB', ['clientB', 'admin']),
      get("the coach's profile", 'coach', ['coach', 'admin']),
      list('every profile', 'all', ADMIN),
      // Profiles are created by the server at sign-up (no INSERT policy, no create rule).
      create('a profile for an account that has none', { user_id: NEWCOMER, email: 'newcomer@example.com', name: 'New' }, NOBODY),
      update('A renames themselves', 'clientA', { name: 'Alicia', updated_at: NOW }, ['clientA']),
      update('A changes their e-mail', 'clientA', { email: 'evil@example.com' }, NOBODY, guard()),
      update('A moves their profile to another user', 'clientA', { user_id: B.uid }, NOBODY, guard()),
      update('A backdates their account (open question 1: created_at is not editable)', 'clientA', { created_at: T3 }, NOBODY, guard()),
      update('A sets updated_at to a non-timestamp', 'clientA', { updated_at: 'not-a-date' }, NOBODY, invalid),
      update('A adds an unknown field', 'clientA', {}, NOBODY, { ...invalid, extraKeys: { is_admin: true } }),
      update('A stores 5,000 keys under one key of their metadata', 'clientA', { metadata: { big: manyKeys(5000) } }, ['clientA'], {
        ...invalid,
        ...stricter(['clientA'], WHY.clientWrite),
      }),
      update('A sets their metadata preferences', 'clientA', { metadata: { preferences: { theme: 'dark' } }, updated_at: NOW }, ['clientA']),
      del("A's profile", 'clientA', NOBODY),
    ],
  },
  {
    table: 'user_roles',
    cases: [
      get("client A's role", 'clientA_client', ['clientA', 'admin']),
      get("the admin's role", 'admin_admin', ['admin']),
      create("a client adds 'admin' to their own roles", { user_id: ME, role: 'admin' }, NOBODY, {
        actors: ['clientA', 'clientB', 'coach', 'unverified'],
        kind: 'field-guard',
      }),
      create('an admin makes B a coach', { user_id: B.uid, role: 'coach' }, ADMIN, stricter(ADMIN, WHY.roles)),
      update("A's role becomes coach", 'clientA_client', { role: 'coach' }, ADMIN, { ...stricter(ADMIN, WHY.roles), kind: 'field-guard' }),
      del("B's client role", 'clientB_client', ADMIN, stricter(ADMIN, WHY.roles)),
    ],
  },
  {
    table: 'user_badges',
    cases: [
      get("A's badge", 'a', ['clientA', 'admin']),
      get("B's badge", 'b', ['clientB', 'admin']),
      list("A's badges", badgesOfUser, ['clientA', 'admin'], { params: { uid: A.uid } }),
      create('award a badge to B', { user_id: B.uid, badge_code: 'retired', awarded_at: T3, metadata: { by: 'admin' } }, ADMIN),
      create('a user awards themselves a badge', { user_id: ME, badge_code: 'retired', awarded_at: T3 }, ADMIN),
      update("change A's award", 'a', { metadata: { note: 'x' } }, ADMIN),
      update("move A's badge to B", 'a', { user_id: B.uid }, NOBODY, guard()),
      del("A's badge", 'a', ADMIN),
    ],
  },
  {
    table: 'coaching_offers',
    cases: [
      get('an active offer', 'active', EVERYONE),
      get('a retired offer', 'retired', ADMIN),
      list('active offers', offersActive, EVERYONE, { values: [true] }),
      list('every offer', 'all', ADMIN),
      create(
        'a new offer',
        {
          slug: 'growth',
          title: 'Growth',
          description: 'Twelve weeks',
          price: '1200.00',
          currency: 'USD',
          duration_weeks: 12,
          sessions_included: 12,
          features: ['chat'],
          active: true,
          created_at: T3,
          updated_at: T3,
          metadata: { tier: 2 },
        },
        ADMIN,
      ),
      create('an offer priced "cheap"', { slug: 'bad', title: 'Bad', price: '1.00', currency: 'USD' }, NOBODY, { ...invalid, raw: { price: 'cheap' } }),
      update('reprice an offer', 'active', { price: '549.00' }, ADMIN),
      del('a retired offer', 'retired', ADMIN),
    ],
  },
  {
    table: 'cal_event_types',
    cases: [
      get('an active session type', 'active', EVERYONE),
      get('a retired session type', 'retired', ADMIN),
      list('active session types', calEventTypesActive, EVERYONE, { values: [true] }),
      create(
        'a new session type',
        {
          id: 103,
          slug: 'deep',
          title: 'Deep dive',
          description: '90 minutes',
          duration_minutes: 90,
          price: '300.00',
          currency: 'USD',
          active: true,
          metadata: {},
          created_at: T3,
          updated_at: T3,
        },
        ADMIN,
      ),
      update('rename a session type', 'active', { title: 'Intro (free)' }, ADMIN),
      del('a retired session type', 'retired', ADMIN),
    ],
  },
  {
    table: 'cal_bookings',
    cases: [
      get("A's booking (their verified e-mail)", 'a', ['clientA', 'coach', 'admin']),
      get("B's booking", 'b', ['clientB', 'coach', 'admin']),
      get("a guest's booking, read by an account that claims the guest's address without confirming it (open question 3)", 'guest', STAFF, guard()),
      get("a booking stored as 'Alice@Example.com' (exact, case-sensitive match: not A's)", 'mixedCase', STAFF),
      list('my bookings (by my e-mail)', calBookingsMine, ['clientA', 'clientB', 'coach', 'admin'], { values: [MY_EMAIL] }),
      list('upcoming bookings (coach calendar)', calBookingsUpcoming, STAFF, { values: [T1] }),
      create('a client books directly', { attendee_email: MY_EMAIL, start_time: FUTURE, created_at: T3 }, NOBODY),
      update("cancel A's booking", 'a', { status: 'cancelled' }, NOBODY),
      del("A's booking", 'a', NOBODY),
    ],
  },
  {
    table: 'me_sessions',
    cases: [
      get("A's session with the coach", 'a', ['clientA', 'coach', 'admin']),
      get("A's unassigned session", 'a2', ['clientA', 'admin']),
      get("B's session with the coach", 'b', ['clientB', 'coach', 'admin']),
      list("A's sessions", sessionsOfUser, ['clientA', 'admin'], { params: { uid: A.uid } }),
      list("the coach's sessions across clients (collection group)", sessionsOfCoach, STAFF, { values: [COACH.uid] }),
      create(
        'a session assigned to the creator',
        {
          user_id: A.uid,
          coach_id: ME,
          booking_id: rowId('bookings', 'a'),
          session_date: FUTURE,
          notes: 'Kick-off',
          action_items: [{ task: 'plan', done: false, due: '2031-06-08' }],
          status: 'scheduled',
          created_at: T3,
          updated_at: T3,
        },
        STAFF,
      ),
      create('a session assigned to someone else', { user_id: A.uid, coach_id: B.uid, session_date: FUTURE }, ADMIN),
      update('write notes on a session', 'a', { notes: 'Went well' }, STAFF),
      update('action items that are a map, not a list of tasks (would break the client’s screen)', 'a', { action_items: { any: 'thing' } }, STAFF, {
        ...invalid,
        ...stricter(STAFF, WHY.clientWrite),
      }),
      update('hand the session to another coach', 'a', { coach_id: B.uid }, ADMIN, guard()),
      update('move the session to another client', 'a', { user_id: B.uid }, NOBODY, guard()),
      update('write notes on an unassigned session', 'a2', { notes: 'Peek' }, ADMIN),
      del("A's session", 'a', ADMIN),
    ],
  },
  {
    table: 'me_goals',
    cases: [
      get("A's goal", 'a', ['clientA', 'coach', 'admin']),
      get("B's goal", 'b', ['clientB', 'coach', 'admin']),
      list("A's goals", goalsOfUser, ['clientA', 'coach', 'admin'], { params: { uid: A.uid } }),
      list('my goals', goalsOfUser, SIGNED_IN, { params: { uid: ME } }),
      create(
        'a goal of my own',
        {
          user_id: ME,
          title: 'Meditate',
          description: 'Daily',
          status: 'active',
          target_date: '2025-12-31',
          progress_percent: 0,
          created_at: T3,
          updated_at: T3,
        },
        SIGNED_IN,
      ),
      create("a goal in A's name (forged user_id)", { user_id: A.uid, title: 'Planted' }, ['clientA', 'admin'], guard()),
      update("update A's goal", 'a', { progress_percent: 50 }, ['clientA', 'admin']),
      update("update B's goal", 'b', { title: 'Changed by someone' }, ['clientB', 'admin']),
      update("move A's goal to B", 'a', { user_id: B.uid }, NOBODY, guard()),
      update('progress "half"', 'a', { progress_percent: 'half' }, NOBODY, invalid),
      update('an unknown field on a goal', 'a', {}, NOBODY, { ...invalid, extraKeys: { is_public: true } }),
      del("A's goal", 'a', ['clientA', 'admin']),
    ],
  },
  {
    table: 'blog_posts',
    cases: [
      get('a published post', 'live', EVERYONE),
      get('a draft', 'draft', ADMIN),
      list('published posts, newest first', blogPublished, EVERYONE, { values: [true] }),
      list('published posts in English', blogPublishedByLang, EVERYONE, { values: [true, 'en'] }),
      list('published posts tagged growth', blogPublishedByTag, EVERYONE, { values: [true, 'growth'] }),
      list('every post', 'all', ADMIN),
      create(
        'a new post',
        {
          slug: 'new-post',
          title: 'New',
          excerpt: 'Short',
          body_md: '# New',
          cover_image: 'https://example.com/c.png',
          author_id: ME,
          published: true,
          published_at: T3,
          lang: 'zh-CN',
          tags: ['news'],
          meta_title: 'New',
          meta_description: 'A new post',
          view_count: 0,
          created_at: T3,
          updated_at: T3,
        },
        ADMIN,
      ),
      create('a new post with 500 views already', { slug: 'inflated', title: 'Inflated', view_count: 500 }, ADMIN, {
        ...stricter(ADMIN, WHY.counter),
        kind: 'field-guard',
      }),
      update('edit a post', 'live', { title: 'Hello again' }, ADMIN),
      update('set the view counter', 'live', { view_count: 1000 }, ADMIN, { ...stricter(ADMIN, WHY.counter), kind: 'field-guard' }),
      del('a draft', 'draft', ADMIN),
    ],
  },
  {
    table: 'blog_templates',
    cases: [
      get('a template', 'x', ADMIN),
      list('every template', 'all', ADMIN),
      create(
        'a template',
        { platform: 'linkedin', locale: 'en', name: 'long', template: '{{title}}', variables: { title: 'string' }, active: true, created_at: T3 },
        ADMIN,
        stricter(ADMIN, WHY.unique),
      ),
      update('edit a template', 'x', { template: 'Read: {{title}}' }, ADMIN),
      update('rename a template', 'x', { name: 'hook' }, ADMIN, { ...stricter(ADMIN, WHY.unique), kind: 'field-guard' }),
      del('a template', 'x', ADMIN),
    ],
  },
  {
    table: 'lessons',
    cases: [
      get('a published lesson', 'live', EVERYONE),
      get('an unpublished lesson', 'draft', ADMIN),
      get("a free lesson's video", 'live', EVERYONE, { target: 'media' }),
      get("an unpublished lesson's video", 'draft', ADMIN, { target: 'media' }),
      get("a paywalled lesson's video (no lesson pass)", 'premium', EVERYONE, { target: 'media', ...stricter(ALL_BUT_ADMIN, WHY.paywall) }),
      get('a paywalled lesson (its catalogue entry)', 'premium', EVERYONE),
      list('published lessons in order', lessonsPublished, EVERYONE, { values: [true] }),
      list('published lessons of module m1', lessonsPublishedByModule, EVERYONE, { values: [true, 'm1'] }),
      list('every lesson of module m1 (lesson editor)', lessonsByModule, ADMIN, { values: ['m1'] }),
      create(
        'a lesson',
        {
          slug: 'lesson-3',
          title: 'Lesson 3',
          description: 'Third',
          module_id: 'm2',
          order: 3,
          duration_sec: 600,
          yt_id: 'abc',
          chapters: [{ start_sec: 0, title: 'Intro' }],
          tags: ['basics'],
          published: true,
          paywall: false,
          created_at: T3,
          updated_at: T3,
        },
        ADMIN,
      ),
      update('reorder a lesson', 'live', { order: 5 }, ADMIN),
      del('an unpublished lesson', 'draft', ADMIN),
    ],
  },
  {
    table: 'lesson_progress',
    cases: [
      get("A's progress", 'a', ['clientA', 'admin']),
      get("B's progress", 'b', ['clientB', 'admin']),
      list("A's progress", 'all', ['clientA', 'admin'], { params: { uid: A.uid } }),
      create('my progress on a lesson', { user_id: ME, lesson_id: lesson('draft'), last_position_sec: 5, completed: false, last_watched_at: T3 }, SIGNED_IN),
      create(
        'my progress on a lesson, already completed',
        { user_id: ME, lesson_id: lesson('draft'), last_position_sec: 5, completed: true, last_watched_at: T3, completion_date: T3 },
        SIGNED_IN,
        { ...stricter(SIGNED_IN, WHY.completion), kind: 'field-guard' },
      ),
      create("progress in A's name (forged user_id)", { user_id: A.uid, lesson_id: lesson('draft') }, ['clientA', 'admin'], guard()),
      update("A's position", 'a', { last_position_sec: 99 }, ['clientA', 'admin']),
      update('A marks the lesson completed', 'a', { completed: true, completion_date: T3 }, ['clientA', 'admin'], {
        ...stricter(['clientA', 'admin'], WHY.completion),
        kind: 'field-guard',
      }),
      update("move A's progress to another lesson", 'a', { lesson_id: lesson('draft') }, NOBODY, guard()),
      update('completed "maybe"', 'a', { completed: 'maybe' }, NOBODY, invalid),
      del("A's progress", 'a', ['clientA', 'admin']),
    ],
  },
  {
    table: 'bookings',
    cases: [
      get("A's paid booking", 'a', ['clientA', 'admin']),
      get("B's paid booking", 'b', ['clientB', 'admin']),
      get("a guest's paid booking, read by an unconfirmed account with the guest's address", 'guest', ADMIN, guard()),
      list('my paid bookings', bookingsMine, ['clientA', 'clientB', 'coach', 'admin'], { values: [MY_EMAIL] }),
      create(
        'a paid booking',
        { booking_token: 'tok-new', customer_email: MY_EMAIL, amount: '150.00', currency: 'USD', status: 'paid' },
        ADMIN,
        stricter(ADMIN, WHY.money),
      ),
      update("mark A's booking refunded (payment status)", 'a', { status: 'refunded' }, ADMIN, { ...stricter(ADMIN, WHY.money), kind: 'field-guard' }),
      del("B's booking", 'b', ADMIN, stricter(ADMIN, WHY.money)),
    ],
  },
  {
    table: 'express_orders',
    cases: [
      get("A's order", 'a', ['clientA', 'admin']),
      get("B's order", 'b', ['clientB', 'admin']),
      list('my orders', ordersMine, SIGNED_IN, { values: [ME] }),
      list('every order', 'all', ADMIN),
      create(
        'an order',
        { order_number: 'ZG-2000', user_id: ME, customer_email: MY_EMAIL, items: [], subtotal: '10.00', total: '10.00', currency: 'USD', status: 'paid' },
        ADMIN,
        stricter(ADMIN, WHY.money),
      ),
      update("mark B's order paid (order status)", 'b', { status: 'paid' }, ADMIN, { ...stricter(ADMIN, WHY.money), kind: 'field-guard' }),
      update("change A's total", 'a', { total: '1.00' }, ADMIN, { ...stricter(ADMIN, WHY.money), kind: 'field-guard' }),
      del("B's order", 'b', ADMIN, stricter(ADMIN, WHY.money)),
    ],
  },
  {
    table: 'payments',
    cases: [
      get("A's payment", 'a', ADMIN, stricter(ADMIN, WHY.payments)),
      list('every payment', 'all', ADMIN, stricter(ADMIN, WHY.payments)),
      create('a payment', { user_id: ME, amount: '1.00', currency: 'USD', provider: 'stripe', status: 'succeeded' }, NOBODY),
      update("mark B's payment succeeded", 'b', { status: 'succeeded' }, NOBODY, guard()),
      del("A's payment", 'a', NOBODY),
    ],
  },
  {
    table: 'me_receipts',
    cases: [
      get("A's receipt", 'a', ['clientA', 'admin']),
      get("B's receipt", 'b', ['clientB', 'admin']),
      list("A's receipts", receiptsOfUser, ['clientA', 'admin'], { params: { uid: A.uid } }),
      create('a receipt for A', { user_id: A.uid, amount: '5.00', currency: 'USD' }, ADMIN, stricter(ADMIN, WHY.money)),
      update("change A's receipt amount", 'a', { amount: '1.00' }, ADMIN, { ...stricter(ADMIN, WHY.money), kind: 'field-guard' }),
      del("B's receipt", 'b', ADMIN, stricter(ADMIN, WHY.money)),
    ],
  },
  {
    table: 'coupons',
    cases: [
      get('a coupon', 'percent', ADMIN),
      list('every coupon', 'all', ADMIN),
      create(
        'a coupon',
        {
          code: 'NEW15',
          discount_type: 'percent',
          discount_value: '15',
          currency: 'USD',
          max_uses: 10,
          uses_count: 0,
          valid_from: T1,
          valid_until: FUTURE,
          active: true,
          metadata: {},
          created_at: T3,
        },
        ADMIN,
        stricter(ADMIN, WHY.unique),
      ),
      create('a coupon already used 50 times', { code: 'USED50', discount_type: 'fixed', discount_value: '5.00', uses_count: 50 }, ADMIN, {
        ...stricter(ADMIN, WHY.counter),
        kind: 'field-guard',
      }),
      update('deactivate a coupon', 'percent', { active: false }, ADMIN),
      update("change a coupon's code", 'percent', { code: 'RENAMED' }, ADMIN, { ...stricter(ADMIN, WHY.unique), kind: 'field-guard' }),
      update("reset a coupon's use counter", 'percent', { uses_count: 0 }, ADMIN, { ...stricter(ADMIN, WHY.counter), kind: 'field-guard' }),
      del('a coupon', 'fixed', ADMIN),
    ],
  },
  {
    table: 'events_catalog',
    cases: [
      get('a published event', 'live', EVERYONE),
      get('an unpublished event', 'draft', ADMIN),
      list('upcoming published events', eventsUpcoming, EVERYONE, { values: [true, T1] }),
      list('every event', 'all', ADMIN),
      create(
        'an event',
        {
          slug: 'workshop',
          title: 'Workshop',
          description: 'Half day',
          start_time: FUTURE,
          end_time: FUTURE,
          timezone: 'Asia/Taipei',
          location: 'online',
          capacity: 30,
          registered_count: 0,
          cover_image: 'https://example.com/w.png',
          published: true,
          tags: ['live'],
          metadata: {},
          created_at: T3,
          updated_at: T3,
        },
        ADMIN,
      ),
      create('an event that starts with 5 seats taken', { slug: 'prefilled', title: 'Prefilled', start_time: FUTURE, registered_count: 5 }, ADMIN, {
        ...stricter(ADMIN, WHY.counter),
        kind: 'field-guard',
      }),
      update('rename an event', 'live', { title: 'Spring retreat' }, ADMIN),
      update('set the seat counter', 'live', { registered_count: 0 }, ADMIN, { ...stricter(ADMIN, WHY.counter), kind: 'field-guard' }),
      del('an unpublished event', 'draft', ADMIN),
    ],
  },
  {
    table: 'event_prices',
    cases: [
      get('an active price', 'active', EVERYONE),
      get('a retired price', 'retired', ADMIN),
      list('active prices of an event', eventPricesActive, EVERYONE, { params: { eventId: event('live') }, values: [true] }),
      list('every price of an event', 'all', ADMIN, { params: { eventId: event('live') } }),
      create('a price', { event_id: event('live'), tier: 'vip', currency: 'JPY', amount: '50000', region: 'JP', active: true, metadata: {} }, ADMIN),
      update('reprice', 'active', { amount: '275.00' }, ADMIN),
      update('move a price to another event', 'active', { event_id: event('draft') }, NOBODY, guard()),
      del('a retired price', 'retired', ADMIN),
    ],
  },
  {
    table: 'event_regs',
    cases: [
      get("A's registration", 'a', ['clientA', 'coach', 'admin']),
      get("B's registration", 'b', ['clientB', 'coach', 'admin']),
      list('my registrations across events (collection group)', registrationsMine, SIGNED_IN, { values: [ME] }),
      list("an event's registrations (organizer)", registrationsOfEvent, STAFF, { params: { eventId: event('live') } }),
      create(
        'register for an event',
        { event_id: event('live'), user_id: ME, attendee_email: MY_EMAIL, status: 'registered' },
        ADMIN,
        stricter(ADMIN, WHY.money),
      ),
      update("mark A's registration refunded (payment status)", 'a', { payment_status: 'refunded' }, ADMIN, {
        ...stricter(ADMIN, WHY.money),
        kind: 'field-guard',
      }),
      del("B's registration", 'b', ADMIN, stricter(ADMIN, WHY.money)),
    ],
  },
  {
    table: 'leads',
    cases: [
      get("the coach's lead", 'coachs', STAFF),
      list("the coach's leads", leadsByOwner, STAFF, { values: [COACH.uid] }),
      list('new, active leads', leadsByStageAndStatus, STAFF, { values: ['new', 'active'] }),
      create(
        'a lead from the public form',
        {
          email: 'lin@example.com',
          name: '林小姐',
          phone: '+886 912 345 678',
          source: 'landing',
          stage: 'new',
          status: 'active',
          owner: null,
          tags: [],
          notes: null,
          score: 0,
          metadata: {},
          created_at: NOW,
          updated_at: NOW,
          last_contacted_at: null,
        },
        EVERYONE,
        stricter(EVERYONE, WHY.leadEntry),
      ),
      create('a lead with a 201-character name', { email: 'x@example.com', name: longText(201), created_at: NOW, updated_at: NOW }, ADMIN, {
        ...invalid,
        ...stricter(ADMIN, WHY.clientWrite),
      }),
      create('a lead with a 321-character e-mail', { email: `${longText(309)}@example.com`, created_at: NOW, updated_at: NOW }, ADMIN, {
        ...invalid,
        ...stricter(ADMIN, WHY.clientWrite),
      }),
      create('a lead whose e-mail is not an address', { email: 'not-an-email', created_at: NOW, updated_at: NOW }, ADMIN, {
        ...invalid,
        ...stricter(ADMIN, WHY.leadEntry),
      }),
      create('a lead assigned to a coach by the form (owner)', { email: 'y@example.com', owner: COACH.uid, created_at: NOW, updated_at: NOW }, ADMIN, {
        ...guard(),
        ...stricter(ADMIN, WHY.leadEntry),
      }),
      create('a lead that starts as won', { email: 'z@example.com', stage: 'won', created_at: NOW, updated_at: NOW }, ADMIN, {
        ...guard(),
        ...stricter(ADMIN, WHY.leadEntry),
      }),
      create('a lead dated last year', { email: 'old@example.com', created_at: T1, updated_at: NOW }, ADMIN, { ...guard(), ...stricter(ADMIN, WHY.leadEntry) }),
      create('a lead with metadata from the form', { email: 'm@example.com', metadata: { utm: { source: 'x' } }, created_at: NOW, updated_at: NOW }, ADMIN, {
        ...invalid,
        ...stricter(ADMIN, WHY.leadEntry),
      }),
      create('a lead scored "lots"', { email: 's@example.com', created_at: NOW, updated_at: NOW }, NOBODY, { ...invalid, raw: { score: 'lots' } }),
      create('a lead with an unknown field', { email: 'e@example.com', created_at: NOW, updated_at: NOW }, NOBODY, { ...invalid, extraKeys: { is_vip: true } }),
      update('qualify a lead', 'coachs', { stage: 'won', notes: 'Signed' }, STAFF, { ...stricter(STAFF, WHY.leadPipeline), kind: 'field-guard' }),
      update('note a call on a lead', 'coachs', { notes: 'Called, interested', tags: ['call'] }, STAFF),
      update("backdate a lead's creation", 'coachs', { created_at: T3 }, NOBODY, guard()),
      del('a lead', 'fresh', ADMIN),
    ],
  },
  {
    table: 'funnels',
    cases: [
      get('a funnel', 'welcome', ADMIN),
      list('every funnel', 'all', ADMIN),
      create('a funnel', { name: 'Upsell', slug: 'upsell', trigger_event: 'purchase', active: true, metadata: {}, created_at: T3, updated_at: T3 }, ADMIN),
      update('pause a funnel', 'welcome', { active: false }, ADMIN),
      del('a funnel', 'welcome', ADMIN),
    ],
  },
  {
    table: 'funnel_stages',
    cases: [
      get('a stage', 'first', ADMIN),
      list('the stages of a funnel', 'all', ADMIN, { params: { funnelId: rowId('funnels', 'welcome') } }),
      create(
        'a stage',
        { funnel_id: rowId('funnels', 'welcome'), name: 'Day 3', order: 2, action_type: 'email', action_config: { template: 'day3' }, delay_hours: 48 },
        ADMIN,
      ),
      update('delay a stage', 'first', { delay_hours: 2 }, ADMIN),
      del('a stage', 'first', ADMIN),
    ],
  },
  {
    table: 'user_funnel_progress',
    cases: [
      get("A's funnel progress", 'a', ['clientA', 'admin']),
      get("B's funnel progress", 'b', ['clientB', 'admin']),
      list("A's funnel progress", 'all', ['clientA', 'admin'], { params: { uid: A.uid } }),
      create(
        'put B in a funnel',
        { user_id: B.uid, funnel_id: rowId('funnels', 'welcome'), current_stage_id: null, started_at: T3, completed_at: T3, metadata: { src: 'x' } },
        ADMIN,
      ),
      update("advance A's progress", 'a', { completed_at: T3 }, ADMIN),
      del("A's progress", 'a', ADMIN),
    ],
  },
  {
    table: 'zg_referrals',
    cases: [
      get("A's referral", 'a', ['clientA', 'admin']),
      get("B's referral", 'b', ['clientB', 'admin']),
      list("A's referrals", 'all', ['clientA', 'admin'], { params: { uid: A.uid } }),
      create(
        'a referral by B',
        {
          referrer_id: B.uid,
          referee_email: 'c@example.com',
          referee_id: A.uid,
          status: 'pending',
          reward_amount: '5.00',
          currency: 'EUR',
          reward_claimed: false,
          created_at: T3,
          completed_at: T3,
        },
        ADMIN,
      ),
      update("complete A's referral", 'a', { status: 'completed', reward_claimed: true }, ADMIN),
      update("give A's referral to B", 'a', { referrer_id: B.uid }, NOBODY, guard()),
      del("A's referral", 'a', ADMIN),
    ],
  },
  {
    table: 'analytics_events',
    cases: [
      get("A's event", 'a', ADMIN),
      list('page views, newest first', analyticsByEvent, ADMIN, { values: ['page_view'] }),
      create(
        'an anonymous page view',
        {
          event_name: 'page_view',
          user_id: null,
          session_id: 's-1',
          properties: { path: '/', ref: 'ad' },
          page_url: 'https://zhengrowth.com/',
          referrer: 'https://google.com/',
          user_agent: 'Mozilla/5.0',
          ip_address: null,
          created_at: NOW,
        },
        EVERYONE,
        stricter(EVERYONE, WHY.tracking),
      ),
      create('a page view of my own', { event_name: 'page_view', user_id: ME, created_at: NOW }, SIGNED_IN, stricter(SIGNED_IN, WHY.tracking)),
      create("a page view in A's name (forged user_id)", { event_name: 'page_view', user_id: A.uid, created_at: NOW }, ['clientA'], {
        ...guard(),
        ...stricter(['clientA'], WHY.tracking),
      }),
      create('a 2049-character URL', { event_name: 'page_view', page_url: longText(2049), created_at: NOW }, NOBODY, invalid),
      create('a 101-character event name', { event_name: longText(101), created_at: NOW }, NOBODY, invalid),
      create(
        '51 properties',
        { event_name: 'junk', properties: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])), created_at: NOW },
        NOBODY,
        invalid,
      ),
      create(
        'properties with 13 keys (SQL takes 50)',
        { event_name: 'junk', properties: Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`k${i}`, i])), created_at: NOW },
        EVERYONE,
        { ...invalid, ...stricter(EVERYONE, WHY.clientWrite) },
      ),
      create(
        '950 KB of properties (50 keys of 19 KB)',
        { event_name: 'junk', properties: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, longText(19_000)])), created_at: NOW },
        EVERYONE,
        { ...invalid, ...stricter(EVERYONE, WHY.clientWrite) },
      ),
      create('5,000 keys nested under one property', { event_name: 'junk', properties: { nested: manyKeys(5000) }, created_at: NOW }, EVERYONE, {
        ...invalid,
        ...stricter(EVERYONE, WHY.clientWrite),
      }),
      create('a client-chosen IP address', { event_name: 'page_view', ip_address: '203.0.113.7', created_at: NOW }, NOBODY, guard()),
      create('an event dated last year', { event_name: 'page_view', created_at: T1 }, NOBODY, guard()),
      create('an event dated "someday"', { event_name: 'page_view', created_at: NOW }, NOBODY, { ...invalid, raw: { created_at: 'someday' } }),
      create('an event with an unknown field', { event_name: 'page_view', created_at: NOW }, NOBODY, { ...invalid, extraKeys: { is_admin: true } }),
      update("rewrite A's event", 'a', { event_name: 'purchase' }, NOBODY),
      del("A's event", 'a', NOBODY),
    ],
  },
  {
    table: 'experiments',
    cases: [
      get('an enabled experiment', 'on', EVERYONE),
      get('a disabled experiment', 'off', ADMIN),
      list('enabled experiments', experimentsEnabled, EVERYONE, { values: [true] }),
      create(
        'an experiment',
        { key: 'pricing', name: 'Pricing', enabled: true, config: { split: 0.5 }, created_at: T3, updated_at: T3 },
        ADMIN,
        stricter(ADMIN, WHY.unique),
      ),
      update('disable an experiment', 'on', { enabled: false }, ADMIN),
      update("change an experiment's key", 'on', { key: 'renamed' }, ADMIN, { ...stricter(ADMIN, WHY.unique), kind: 'field-guard' }),
      del('an experiment', 'off', ADMIN),
    ],
  },
  {
    table: 'experiment_assignments',
    cases: [
      get("A's assignment", 'a', ['clientA', 'admin']),
      get("B's assignment", 'b', ['clientB', 'admin']),
      list('my assignments', experimentAssignmentsMine, SIGNED_IN, { values: [ME] }),
      create('an assignment', { experiment_key: 'new-hero', user_id: ME, session_id: 's-9', variant: 'b', assigned_at: T3 }, ADMIN),
      update("switch A's variant", 'a', { variant: 'b' }, ADMIN, guard()),
      del("A's assignment", 'a', ADMIN),
    ],
  },
  {
    table: 'ai_logs',
    cases: [
      get('an AI log', 'one', NOBODY),
      list('every AI log', 'all', NOBODY),
      create('an AI log', { mode: 'coach', prompt: 'hi', at: NOW }, NOBODY),
      update('rewrite an AI log', 'one', { response: 'edited' }, NOBODY),
      del('an AI log', 'one', NOBODY),
    ],
  },
  {
    table: 'ai_suggestions_cache',
    cases: [
      get("A's suggestion", 'a', ['clientA', 'admin']),
      get("B's suggestion", 'b', ['clientB', 'admin']),
      list("A's daily suggestions", aiSuggestionsByType, ['clientA', 'admin'], { params: { uid: A.uid }, values: ['daily'] }),
      create(
        'a suggestion for B',
        { profile_id: profile('clientB'), suggestion_type: 'weekly', suggestion_lang: 'zh-TW', content: { items: [] }, expires_at: FUTURE, created_at: T3 },
        ADMIN,
      ),
      update("refresh A's suggestion", 'a', { content: { items: [{ text: 'sleep' }] } }, ADMIN),
      update("hand A's suggestion to B", 'a', { profile_id: profile('clientB') }, NOBODY, guard()),
      del("A's suggestion", 'a', ADMIN),
    ],
  },
  {
    table: 'community_posts',
    cases: [
      get("A's published post", 'a', SIGNED_IN),
      get("B's draft", 'bDraft', ['clientB', 'coach', 'admin']),
      list('the feed (published)', communityFeed, SIGNED_IN, { values: [true] }),
      list('my posts, drafts included', communityPostsByAuthor, SIGNED_IN, { values: [ME] }),
      list("B's posts, drafts included", communityPostsByAuthor, ['clientB', 'coach', 'admin'], { values: [B.uid] }),
      create(
        'a post of my own',
        {
          author_id: ME,
          title: 'Hello',
          content: 'My story',
          tags: ['intro'],
          published: true,
          pinned: false,
          metadata: { edited: false, mentions: [] },
          created_at: NOW,
          updated_at: T3,
        },
        SIGNED_IN,
        stricter(['clientA', 'clientB', 'unverified'], WHY.posting),
      ),
      create("a post in A's name (forged author_id)", { author_id: A.uid, title: 'Fake', content: 'x', created_at: NOW }, ['clientA', 'coach', 'admin'], {
        ...guard(),
        ...stricter(['clientA'], WHY.posting),
      }),
      create(
        'a post whose tags hold a number (would break every reader of the feed)',
        { author_id: ME, title: 'Tagged', content: 'x', created_at: NOW },
        SIGNED_IN,
        { ...invalid, raw: { tags: [42] }, ...stricter(SIGNED_IN, WHY.clientWrite) },
      ),
      create('a post with 7 tags', { author_id: ME, title: 'Tagged', content: 'x', tags: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], created_at: NOW }, SIGNED_IN, {
        ...invalid,
        ...stricter(SIGNED_IN, WHY.clientWrite),
      }),
      create(
        'a post whose metadata is a free-form map',
        { author_id: ME, title: 'Moody', content: 'x', metadata: { mood: 'happy' }, created_at: NOW },
        SIGNED_IN,
        {
          ...invalid,
          ...stricter(SIGNED_IN, WHY.clientWrite),
        },
      ),
      create('a post with 99 likes', { author_id: ME, title: 'Popular', content: 'x', likes_count: 99, created_at: NOW }, NOBODY, guard()),
      create(
        'a pinned post of my own (pinning is moderation)',
        { author_id: ME, title: 'Pinned', content: 'x', pinned: true, created_at: NOW },
        STAFF,
        guard(),
      ),
      create('a post dated in the future (would top the feed)', { author_id: ME, title: 'Future', content: 'x', created_at: FUTURE }, STAFF, guard()),
      update("edit A's post", 'a', { title: 'Hi everyone', updated_at: T3 }, ['clientA', 'coach', 'admin']),
      update("set A's like counter", 'a', { likes_count: 1000 }, NOBODY, guard()),
      update("set A's comment counter", 'a', { comments_count: 0 }, NOBODY, guard()),
      update("pin A's post (open question 2: moderators only)", 'a', { pinned: true }, STAFF, guard()),
      update("give A's post to B", 'a', { author_id: B.uid }, NOBODY, guard()),
      update("backdate A's post", 'a', { created_at: T3 }, NOBODY, guard()),
      del("A's post", 'a', ['clientA', 'coach', 'admin']),
      del("B's draft", 'bDraft', ['clientB', 'coach', 'admin']),
    ],
  },
  {
    table: 'community_comments',
    cases: [
      get("A's comment", 'a', SIGNED_IN),
      list("comments on A's post", communityCommentsOfPost, SIGNED_IN, { params: { postId: post('a') } }),
      get("A's comment on B's unpublished draft", 'onDraft', SIGNED_IN, stricter(['clientA', 'unverified'], WHY.thread)),
      list("comments on B's unpublished draft", communityCommentsOfPost, SIGNED_IN, {
        params: { postId: post('bDraft') },
        ...stricter(['clientA', 'unverified'], WHY.thread),
      }),
      create(
        'a comment of my own',
        { post_id: post('a'), author_id: ME, content: 'Nice', parent_id: rowId('community_comments', 'a'), created_at: NOW, updated_at: T3 },
        SIGNED_IN,
        stricter(['clientA', 'clientB', 'unverified'], WHY.posting),
      ),
      create("a comment in A's name", { post_id: post('a'), author_id: A.uid, content: 'Fake', created_at: NOW }, ['clientA', 'coach', 'admin'], {
        ...guard(),
        ...stricter(['clientA'], WHY.posting),
      }),
      create('a comment with 5 likes', { post_id: post('a'), author_id: ME, content: 'x', likes_count: 5, created_at: NOW }, NOBODY, guard()),
      create('a comment dated last year', { post_id: post('a'), author_id: ME, content: 'x', created_at: T1 }, STAFF, guard()),
      update("edit A's comment", 'a', { content: 'Thanks a lot' }, ['clientA', 'coach', 'admin']),
      update("set A's comment like counter", 'a', { likes_count: 100 }, NOBODY, guard()),
      update("move A's comment to another post", 'a', { post_id: post('b') }, NOBODY, guard()),
      del("B's comment", 'b', ['clientB', 'coach', 'admin']),
    ],
  },
  {
    table: 'community_reports',
    cases: [
      get("A's report", 'a', STAFF),
      list('pending reports', communityReportsByStatus, STAFF, { values: ['pending'] }),
      create(
        'a report of my own',
        {
          reporter_id: ME,
          content_type: 'post',
          content_id: post('b'),
          reason: 'spam',
          description: 'Links',
          status: 'pending',
          reviewed_by: null,
          reviewed_at: null,
          action_taken: null,
          created_at: NOW,
        },
        SIGNED_IN,
      ),
      create(
        "a report in A's name",
        { reporter_id: A.uid, content_type: 'post', content_id: post('b'), reason: 'spam', created_at: NOW },
        ['clientA', 'admin'],
        guard(),
      ),
      create(
        'a report filed as already resolved',
        { reporter_id: ME, content_type: 'post', content_id: post('b'), reason: 'spam', status: 'resolved', created_at: NOW },
        ADMIN,
        guard(),
      ),
      create(
        'a report on a user (not a post or comment)',
        { reporter_id: ME, content_type: 'user', content_id: post('b'), reason: 'rude', created_at: NOW },
        ADMIN,
        invalid,
      ),
      create(
        'a report that reviews itself',
        { reporter_id: ME, content_type: 'post', content_id: post('b'), reason: 'spam', reviewed_by: ME, created_at: NOW },
        ADMIN,
        guard(),
      ),
      update('resolve a report', 'a', { status: 'resolved', action_taken: 'removed' }, STAFF),
      update("hand A's report to B", 'a', { reporter_id: B.uid }, NOBODY, guard()),
      del('a report', 'a', ADMIN),
    ],
  },
  {
    table: 'social_accounts',
    cases: [
      get("A's connected account", 'a', ['clientA', 'admin']),
      get("B's connected account", 'b', ['clientB', 'admin']),
      get("A's OAuth tokens", 'a', ['clientA', 'admin'], { target: 'tokens', ...stricter(['clientA', 'admin'], WHY.tokens) }),
      list("A's accounts", 'all', ['clientA', 'admin'], { params: { uid: A.uid } }),
      create(
        'connect an account (no tokens from the client)',
        {
          user_id: ME,
          platform: 'linkedin',
          platform_user_id: 'li-1',
          username: 'me',
          token_expires_at: FUTURE,
          active: true,
          metadata: { scopes: ['w'] },
          created_at: T3,
          updated_at: T3,
        },
        SIGNED_IN,
        stricter(SIGNED_IN, WHY.socialAccount),
      ),
      create('connect an account with its OAuth token', { user_id: ME, platform: 'x', access_token: 'tok' }, SIGNED_IN, stricter(SIGNED_IN, WHY.tokens)),
      update('rename my handle', 'a', { username: 'alice2' }, ['clientA'], stricter(['clientA'], WHY.socialAccount)),
      update("replace A's access token", 'a', { access_token: 'stolen' }, ['clientA'], stricter(['clientA'], WHY.tokens)),
      update("move A's account to B", 'a', { user_id: B.uid }, NOBODY, guard()),
      // disconnectSocialAccount removes the account, its tokens and its scheduled posts together.
      del("disconnect A's account", 'a', ['clientA'], stricter(['clientA'], WHY.socialAccount)),
    ],
  },
  {
    table: 'social_posts',
    cases: [
      get("A's social post", 'a', ['clientA']),
      get("B's social post", 'b', ['clientB']),
      list("A's scheduled posts", socialPostsByStatus, ['clientA'], { params: { uid: A.uid }, values: ['scheduled'] }),
      create(
        'schedule a post',
        {
          user_id: ME,
          account_id: rowId('social_accounts', 'a'),
          platform: 'x',
          content: 'Soon',
          media_urls: ['https://example.com/i.png'],
          status: 'scheduled',
          scheduled_for: FUTURE,
          published_at: T3,
          platform_post_id: 'p-1',
          error: 'none',
          metadata: {},
          created_at: T3,
          updated_at: T3,
        },
        SIGNED_IN,
        stricter(SIGNED_IN, WHY.socialPost),
      ),
      create('save a draft', { user_id: ME, account_id: rowId('social_accounts', 'a'), platform: 'x', content: 'Idea', status: 'draft' }, SIGNED_IN),
      create(
        'a draft that claims to be published',
        { user_id: ME, account_id: rowId('social_accounts', 'a'), platform: 'x', content: 'Idea', status: 'draft', published_at: T3, platform_post_id: 'p-9' },
        SIGNED_IN,
        stricter(SIGNED_IN, WHY.socialPost),
      ),
      create("a post in A's name", { user_id: A.uid, account_id: rowId('social_accounts', 'a'), platform: 'x', content: 'x' }, ['clientA'], guard()),
      update("edit A's scheduled post", 'a', { content: 'Later' }, ['clientA'], stricter(['clientA'], WHY.socialPost)),
      update("edit B's draft", 'b', { content: 'Better draft' }, ['clientB']),
      update('B marks their draft published', 'b', { status: 'published', platform_post_id: 'p-2' }, ['clientB'], stricter(['clientB'], WHY.socialPost)),
      update("move A's post to B", 'a', { user_id: B.uid }, NOBODY, guard()),
      del("A's scheduled post", 'a', ['clientA'], stricter(['clientA'], WHY.socialPost)),
      del("B's draft", 'b', ['clientB']),
    ],
  },
  {
    table: 'social_analytics',
    cases: [
      get('metrics of a post', 'a', NOBODY),
      list('every metric', 'all', NOBODY),
      create('metrics', { post_id: rowId('social_posts', 'a'), impressions: 1 }, NOBODY),
      update('inflate metrics', 'a', { impressions: 1_000_000 }, NOBODY),
      del('metrics', 'a', NOBODY),
    ],
  },
  {
    table: 'remote_flags',
    cases: [
      get('an enabled flag', 'on', EVERYONE),
      get('a disabled flag', 'off', EVERYONE),
      list('every flag', 'all', EVERYONE),
      create('a flag', { key: 'dark_mode', value: { rollout: 0.1 }, description: 'Dark mode', enabled: true, updated_at: T3 }, ADMIN),
      update('turn a flag off', 'on', { enabled: false }, ADMIN),
      del('a flag', 'off', ADMIN),
    ],
  },
  {
    table: 'i18n_dict',
    cases: [
      get('a translation', 'zh', EVERYONE),
      list('the zh-CN dictionary', i18nByLang, EVERYONE, { values: ['zh-CN'] }),
      list('the en/common namespace', i18nByLangAndNamespace, EVERYONE, { values: ['en', 'common'] }),
      create('a translation', { lang: 'zh-TW', ns: 'common', key: 'hello', value: '妳好', updated_at: T3 }, ADMIN, stricter(ADMIN, WHY.unique)),
      update('fix a translation', 'zh', { value: '您好' }, ADMIN),
      update('move a translation to another key', 'zh', { key: 'greeting' }, ADMIN, { ...stricter(ADMIN, WHY.unique), kind: 'field-guard' }),
      del('a translation', 'en', ADMIN),
    ],
  },
  {
    table: 'email_templates',
    cases: [
      get('a template', 'welcome', ADMIN),
      list('every template', 'all', ADMIN),
      create(
        'a template',
        {
          slug: 'receipt',
          name: 'Receipt',
          subject: 'Your receipt',
          body_html: '<p>Thanks</p>',
          body_text: 'Thanks',
          variables: {},
          active: true,
          created_at: T3,
          updated_at: T3,
        },
        ADMIN,
      ),
      update('edit a template', 'welcome', { subject: 'Welcome aboard' }, ADMIN),
      del('a template', 'welcome', ADMIN),
    ],
  },
  {
    table: 'email_queue',
    cases: [
      get('a queued e-mail', 'one', NOBODY),
      list('the queue', 'all', NOBODY),
      create('queue an e-mail', { to_email: 'victim@example.com', subject: 'Phish' }, NOBODY),
      update('change a queued e-mail', 'one', { to_email: 'evil@example.com' }, NOBODY),
      del('a queued e-mail', 'one', NOBODY),
    ],
  },
  {
    table: 'email_logs',
    cases: [
      get('an e-mail log', 'one', NOBODY),
      list('the e-mail log', 'all', NOBODY),
      create('a log entry', { to_email: 'x@example.com', status: 'sent' }, NOBODY),
      update('rewrite a log entry', 'one', { status: 'bounced' }, NOBODY),
      del('a log entry', 'one', NOBODY),
    ],
  },
  {
    table: 'badges',
    cases: [
      get('an active badge', 'starter', EVERYONE),
      get('a retired badge', 'retired', ADMIN),
      list('active badges', badgesActive, EVERYONE, { values: [true] }),
      list('every badge', 'all', ADMIN),
      create('a badge', { code: 'streak', name: 'Streak', description: '7 days', icon: '🔥', criteria: { days: 7 }, active: true }, ADMIN),
      update('retire a badge', 'starter', { active: false }, ADMIN),
      del('a retired badge', 'retired', ADMIN),
    ],
  },
  {
    table: 'zg_versions',
    cases: [
      get('the current version', 'current', EVERYONE),
      list('active versions, newest first', versionsActive, EVERYONE, { values: [true] }),
      create('a version', { version: '2.4.0', min_version: '2.0.0', force_update: true, features: { chat: true }, active: true, created_at: T3 }, ADMIN),
      update('force an update', 'current', { force_update: true }, ADMIN),
      del('a version', 'current', ADMIN),
    ],
  },
  {
    table: 'nudge_inbox',
    cases: [
      get("A's notification", 'a', ['clientA', 'admin']),
      get("B's notification", 'b', ['clientB', 'admin']),
      list("A's unread notifications", inboxUnread, ['clientA', 'admin'], { params: { uid: A.uid }, values: [false] }),
      list('my notifications', inboxRecent, SIGNED_IN, { params: { uid: ME } }),
      create(
        'a nudge for A',
        {
          user_id: A.uid,
          type: 'nudge',
          title: 'Hi',
          message: 'Check in',
          action_url: '/goals',
          read: false,
          read_at: T3,
          metadata: { from: { coach_id: COACH.uid }, priority: 'normal' },
          created_at: T3,
          expires_at: FUTURE,
        },
        STAFF,
      ),
      create(
        'a nudge whose metadata is a free-form map (would break the client’s inbox)',
        { user_id: A.uid, message: 'Hi', metadata: { from: 'coach' } },
        STAFF,
        {
          ...invalid,
          ...stricter(STAFF, WHY.clientWrite),
        },
      ),
      update('mark it read', 'a', { read: true, read_at: NOW }, ['clientA', 'admin']),
      update('rewrite the message (not read/read_at)', 'a', { message: 'Changed' }, NOBODY, guard()),
      update('move the notification to B', 'a', { user_id: B.uid }, NOBODY, guard()),
      update('read_at "soon"', 'a', { read_at: 'soon' }, NOBODY, invalid),
      del("A's notification", 'a', ADMIN),
    ],
  },
  {
    table: 'push_subscriptions',
    cases: [
      get("A's subscription", 'a', ['clientA']),
      get("B's subscription", 'b', ['clientB']),
      get('an anonymous subscription (no user)', 'nobody', NOBODY),
      list("A's active subscriptions", pushSubscriptionsActive, ['clientA'], { params: { uid: A.uid }, values: [true] }),
      create(
        'subscribe this browser',
        {
          user_id: ME,
          endpoint: 'https://push.example.com/new',
          p256dh: 'k',
          auth: 'a',
          user_agent: 'Mozilla/5.0',
          active: true,
          created_at: T3,
          last_used_at: T3,
        },
        SIGNED_IN,
      ),
      create("a subscription in A's name", { user_id: A.uid, endpoint: 'https://push.example.com/forged', p256dh: 'k', auth: 'a' }, ['clientA'], guard()),
      update('pause my subscription', 'a', { active: false }, ['clientA']),
      update("move A's subscription to B", 'a', { user_id: B.uid }, NOBODY, guard()),
      del("A's subscription", 'a', ['clientA']),
    ],
  },
];

/** The actors a case runs as. */
export function actorsOf(c: Case): readonly ActorId[] {
  if (c.actors) return c.actors;
  const inputs: unknown[] = [];
  if (c.op === 'list') inputs.push(c.params ?? {}, c.values ?? []);
  if (c.op === 'create') inputs.push(c.values, c.raw ?? {}, c.extraKeys ?? {});
  if (c.op === 'update') inputs.push(c.values, c.extraKeys ?? {});
  const text = JSON.stringify(inputs);
  return text.includes(ME) || text.includes(MY_EMAIL) ? SIGNED_IN : EVERYONE;
}

/** What Firestore should answer: SQL's answer minus the deliberately stricter cells. */
export function firestoreAllows(c: Case, actor: ActorId): boolean {
  return c.allow.includes(actor) && !(c.firestoreStricter?.deny.includes(actor) ?? false);
}

export function caseLabel(table: string, c: Case): string {
  return `${table} · ${c.op} · ${c.name}`;
}
