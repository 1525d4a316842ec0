/**
 * Supabase rows → Firestore documents, for the parity suite: where each row lands (the model's
 * paths), field by field (money in minor units, timestamps as Timestamps, renamed and derived
 * fields). Pure: it converts what it can and passes anything else through unchanged, so a case
 * that writes a wrong type sends that wrong value to Firestore as it sends it to PostgreSQL.
 */
import {
  aiLogs,
  aiSuggestions,
  analyticsEvents,
  anonymousPushSubscriptions,
  appVersions,
  badges,
  blogPosts,
  blogTemplates,
  bookings,
  calBookings,
  calEventTypes,
  communityComments,
  communityPosts,
  communityReports,
  coupons,
  emailLogs,
  emailQueue,
  emailTemplates,
  eventPrices,
  eventRegistrations,
  events,
  experimentAssignments,
  experiments,
  funnelProgress,
  funnels,
  funnelStages,
  goals,
  i18nDict,
  inbox,
  leads,
  lessonProgress,
  lessonMedia,
  lessons,
  offers,
  orders,
  payments,
  pushSubscriptions,
  receipts,
  referrals,
  remoteFlags,
  sessions,
  socialAccounts,
  socialAccountTokens,
  socialAnalytics,
  socialPosts,
  toMinorUnits,
  userBadges,
  users,
  type AnyCollection,
} from '@zhengrowth/model';
import { serverTimestamp, Timestamp } from 'firebase/firestore';
import { z } from 'zod';
import type { Fixture, Json, Row } from './fixture.js';

/** A value meaning "the server's clock": now() in SQL, serverTimestamp() (request.time) in Firestore. */
export const NOW = '$now';

export type DocRole = 'primary' | 'tokens' | 'media';

export interface DocOut {
  role: DocRole;
  collection: AnyCollection;
  path: string;
  data: Record<string, unknown>;
}

type Derive = (row: Row, ctx: Fixture) => unknown;

interface TableMapping {
  collection: AnyCollection;
  /** Path parameters (the document id included) of the row's primary document; null: none. */
  params(row: Row, ctx: Fixture): Record<string, string> | null;
  /** Fields that are not the same-named column (renamed, converted with another column, derived). */
  derived?: Record<string, Derive>;
  /** Several tables feed one document (users/{uid}): it is rebuilt from the whole fixture. */
  aggregate?: boolean;
  /** Another collection instead of `collection` for some rows (anonymous push subscriptions). */
  collectionFor?(row: Row): AnyCollection;
}

const str = (v: Json | undefined): string => {
  if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`not a path segment: ${JSON.stringify(v)}`);
  return String(v);
};

/** Money column → minor units of the row's currency (null stays null; a malformed amount passes through). */
/** A row value as text (keys, sorting): strings as they are, numbers and booleans printed, anything else as JSON. */
export function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? 'undefined';
}

function money(column: string, currencyColumn = 'currency'): Derive {
  return (row) => {
    const v = row[column];
    if (v === null || v === undefined) return v === undefined ? undefined : null;
    const currency = typeof row[currencyColumn] === 'string' ? row[currencyColumn] : 'USD';
    try {
      return toMinorUnits(typeof v === 'number' ? v : asText(v), currency);
    } catch {
      return v;
    }
  };
}

function timestampOf(v: unknown): unknown {
  if (v === NOW) return serverTimestamp();
  if (v instanceof Date) return Timestamp.fromDate(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))) return Timestamp.fromDate(new Date(v));
  return v;
}

function unwrapped(t: z.ZodType): { inner: z.ZodType; optional: boolean } {
  let cur = t;
  let optional = false;
  for (;;) {
    const def = cur._zod.def as { type: string; innerType?: z.ZodType };
    if ((def.type === 'nullable' || def.type === 'optional') && def.innerType) {
      if (def.type === 'optional') optional = true;
      cur = def.innerType;
    } else return { inner: cur, optional };
  }
}

function isTimestampField(t: z.ZodType): boolean {
  return (z.globalRegistry.get(t) as { zgType?: string } | undefined)?.zgType === 'timestamp';
}

/** The document of `collection` for a row: every model field, from its column or `derived`. */
function buildDoc(collection: AnyCollection, row: Row, ctx: Fixture, derived: Record<string, Derive> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, type] of Object.entries(collection.schema.shape as Record<string, z.ZodType>)) {
    const { inner, optional } = unwrapped(type);
    const fn = derived[field];
    let v: unknown = fn ? fn(row, ctx) : row[field];
    if (v === undefined) {
      if (optional) continue; // Firebase-only fields (webhook bookkeeping) are absent on migrated rows
      v = null;
    }
    out[field] = isTimestampField(inner) ? timestampOf(v) : v;
  }
  return out;
}

function profileOf(ctx: Fixture, profileId: Json | undefined): Row | undefined {
  return Object.values(ctx.zg_profiles ?? {}).find((p) => p.id === profileId);
}

/** users/{uid}: the profile (if any) and the roles of the user. */
function userDoc(uid: string, ctx: Fixture): Record<string, unknown> | null {
  const profile = Object.values(ctx.zg_profiles ?? {}).find((p) => p.user_id === uid);
  const roleRows = Object.values(ctx.user_roles ?? {})
    .filter((r) => r.user_id === uid)
    .sort((a, b) => asText(a.role).localeCompare(asText(b.role)));
  if (!profile && roleRows.length === 0) return null;
  const p: Row = profile ?? {};
  const base = buildDoc(users, { ...p, profile_id: profile ? (p.id ?? null) : null }, ctx, {
    profile_id: (r) => r.profile_id,
    roles: () => roleRows.map((r) => r.role),
    role_grants: () => Object.fromEntries(roleRows.map((r) => [asText(r.role), { id: r.id, created_at: timestampOf(r.created_at ?? null) }])),
  });
  return base;
}

const byId = (param: string) => (row: Row) => ({ [param]: str(row.id) });

export const MAPPINGS: Readonly<Record<string, TableMapping>> = {
  zg_profiles: { collection: users, aggregate: true, params: (r) => ({ uid: str(r.user_id) }) },
  user_roles: { collection: users, aggregate: true, params: (r) => ({ uid: str(r.user_id) }) },
  user_badges: { collection: userBadges, params: (r) => ({ uid: str(r.user_id), awardId: str(r.id) }) },
  coaching_offers: { collection: offers, params: byId('offerId'), derived: { price_minor: money('price') } },
  cal_event_types: { collection: calEventTypes, params: (r) => ({ eventTypeId: str(r.id) }), derived: { price_minor: money('price') } },
  cal_bookings: { collection: calBookings, params: byId('calBookingDocId') },
  me_sessions: { collection: sessions, params: (r) => ({ uid: str(r.user_id), sessionId: str(r.id) }) },
  me_goals: { collection: goals, params: (r) => ({ uid: str(r.user_id), goalId: str(r.id) }) },
  blog_posts: { collection: blogPosts, params: (r) => ({ slug: str(r.slug) }) },
  blog_templates: { collection: blogTemplates, params: byId('templateId') },
  lessons: { collection: lessons, params: byId('lessonId') },
  lesson_progress: { collection: lessonProgress, params: (r) => ({ uid: str(r.user_id), lessonId: str(r.lesson_id) }) },
  bookings: { collection: bookings, params: byId('bookingId'), derived: { amount_minor: money('amount') } },
  express_orders: {
    collection: orders,
    params: byId('orderId'),
    derived: { subtotal_minor: money('subtotal'), tax_minor: money('tax'), total_minor: money('total') },
  },
  payments: { collection: payments, params: byId('paymentId'), derived: { amount_minor: money('amount') } },
  me_receipts: { collection: receipts, params: (r) => ({ uid: str(r.user_id), receiptId: str(r.id) }), derived: { amount_minor: money('amount') } },
  coupons: {
    collection: coupons,
    params: byId('couponId'),
    derived: {
      discount_percent: (r) => (r.discount_type === 'percent' ? r.discount_value : null),
      discount_amount_minor: (r, ctx) => (r.discount_type === 'fixed' ? money('discount_value')(r, ctx) : null),
    },
  },
  events_catalog: { collection: events, params: byId('eventId') },
  event_prices: { collection: eventPrices, params: (r) => ({ eventId: str(r.event_id), priceId: str(r.id) }), derived: { amount_minor: money('amount') } },
  event_regs: {
    collection: eventRegistrations,
    params: (r) => ({ eventId: str(r.event_id), registrationId: str(r.id) }),
    derived: { amount_paid_minor: money('amount_paid') },
  },
  leads: { collection: leads, params: byId('leadId') },
  funnels: { collection: funnels, params: byId('funnelId') },
  funnel_stages: { collection: funnelStages, params: (r) => ({ funnelId: str(r.funnel_id), stageId: str(r.id) }) },
  user_funnel_progress: { collection: funnelProgress, params: (r) => ({ uid: str(r.user_id), progressId: str(r.id) }) },
  zg_referrals: {
    collection: referrals,
    params: (r) => ({ uid: str(r.referrer_id), referralId: str(r.id) }),
    derived: { reward_amount_minor: money('reward_amount') },
  },
  analytics_events: { collection: analyticsEvents, params: byId('eventId') },
  experiments: { collection: experiments, params: byId('experimentId') },
  experiment_assignments: { collection: experimentAssignments, params: byId('assignmentId') },
  ai_logs: { collection: aiLogs, params: byId('logId') },
  ai_suggestions_cache: {
    collection: aiSuggestions,
    params: (r, ctx) => {
      const owner = profileOf(ctx, r.profile_id)?.user_id;
      return owner ? { uid: str(owner), suggestionId: str(r.id) } : null;
    },
    derived: { user_id: (r, ctx) => profileOf(ctx, r.profile_id)?.user_id ?? null },
  },
  community_posts: { collection: communityPosts, params: byId('postId') },
  community_comments: { collection: communityComments, params: (r) => ({ postId: str(r.post_id), commentId: str(r.id) }) },
  community_reports: { collection: communityReports, params: byId('reportId') },
  social_accounts: { collection: socialAccounts, params: (r) => ({ uid: str(r.user_id), accountId: str(r.id) }) },
  social_posts: { collection: socialPosts, params: (r) => ({ uid: str(r.user_id), postId: str(r.id) }) },
  social_analytics: { collection: socialAnalytics, params: byId('analyticsId') },
  remote_flags: { collection: remoteFlags, params: (r) => ({ key: str(r.key) }) },
  i18n_dict: { collection: i18nDict, params: byId('entryId') },
  email_templates: { collection: emailTemplates, params: byId('templateId') },
  email_queue: { collection: emailQueue, params: byId('emailId') },
  email_logs: { collection: emailLogs, params: byId('logId') },
  badges: { collection: badges, params: (r) => ({ code: str(r.code) }) },
  zg_versions: { collection: appVersions, params: byId('versionId') },
  nudge_inbox: { collection: inbox, params: (r) => ({ uid: str(r.user_id), itemId: str(r.id) }) },
  push_subscriptions: {
    collection: pushSubscriptions,
    collectionFor: (r) => (r.user_id === null ? anonymousPushSubscriptions : pushSubscriptions),
    params: (r): Record<string, string> => (r.user_id === null ? { subscriptionId: str(r.id) } : { uid: str(r.user_id), subscriptionId: str(r.id) }),
  },
};

export function mappingOf(table: string): TableMapping {
  const m = MAPPINGS[table];
  if (!m) throw new Error(`no Firestore mapping for table ${table}`);
  return m;
}

/**
 * The documents a row is (part of), given the fixture it lives in. `extraKeys` are keys that are
 * not columns (an "extra keys" case): they go into the primary document as they go into the INSERT.
 */
export function docsOfRow(table: string, row: Row, ctx: Fixture, extraKeys: Row = {}): DocOut[] {
  const m = mappingOf(table);
  const collection = m.collectionFor?.(row) ?? m.collection;
  const params = m.params(row, ctx);
  if (!params) return [];
  const path = collection.docPath(params);
  let data: Record<string, unknown> | null;
  if (m.aggregate) data = userDoc(str(row.user_id), ctx);
  else data = buildDoc(collection, row, ctx, m.derived);
  const out: DocOut[] = [];
  if (data) out.push({ role: 'primary', collection, path, data: { ...data, ...extraKeys } });
  if (table === 'lessons' && data) {
    // What plays the lesson lives apart from its catalogue entry (the paywall guards it).
    out.push({ role: 'media', collection: lessonMedia, path: lessonMedia.docPath({ lessonId: str(row.id) }), data: { yt_id: row.yt_id ?? null } });
  }
  if (table === 'social_accounts' && (isSet(row.access_token) || isSet(row.refresh_token))) {
    // The OAuth tokens of the row are split off into a server-only document.
    out.push({
      role: 'tokens',
      collection: socialAccountTokens,
      path: socialAccountTokens.docPath({ accountId: str(row.id) }),
      data: { user_id: row.user_id, account_id: row.id, access_token: row.access_token ?? null, refresh_token: row.refresh_token ?? null },
    });
  }
  return out;
}

/** Every document of a fixture (for seeding), keyed by path. */
export function allDocs(ctx: Fixture): Map<string, DocOut> {
  const docs = new Map<string, DocOut>();
  for (const [table, byKey] of Object.entries(ctx)) {
    for (const row of Object.values(byKey)) for (const d of docsOfRow(table, row, ctx)) docs.set(d.path, d);
  }
  return docs;
}

/** The row key of a fixture row whose primary document is at `path` (to compare query results). */
export function rowKeyByPath(table: string, ctx: Fixture): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, row] of Object.entries(ctx[table] ?? {})) {
    const primary = docsOfRow(table, row, ctx).find((d) => d.role === 'primary');
    if (primary) out.set(primary.path, key);
  }
  return out;
}

/** Values of a query filter or an update, converted as the field's type requires (timestamps). */
export function fieldValue(collection: AnyCollection, field: string, v: unknown): unknown {
  const t = (collection.schema.shape as Record<string, z.ZodType>)[field];
  return t && isTimestampField(unwrapped(t).inner) ? timestampOf(v) : v;
}

function isSet(v: Json | undefined): boolean {
  return v !== null && v !== undefined;
}
