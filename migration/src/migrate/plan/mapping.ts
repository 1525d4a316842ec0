/**
 * Where every Supabase table goes. The destinations, paths and field types come from the model
 * (collectionsForTable, each collection's template and zod schema); this file adds only what the
 * model cannot say: which source column fills each path placeholder, the few fields whose column has
 * another name, and the rules of the special tables. A field of the model that is not optional comes
 * from the source column of the same name (a `*_minor` field from the column without the suffix).
 */
import { collectionsForTable, describeType, type AnyCollection } from '@zhengrowth/model';
import type { z } from 'zod';
import type { SourceRow, SourceTable } from '../sources/catalog.js';
import { couponDiscount } from './rules/coupons.js';

/** The 45 tables of the Supabase schema, in the schema document's order. */
/** A mapping that does not fit the source's catalog: the migration cannot start. */
export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

export const SOURCE_TABLES = [
  'zg_profiles',
  'user_roles',
  'user_badges',
  'coaching_offers',
  'cal_bookings',
  'cal_event_types',
  'me_sessions',
  'me_goals',
  'blog_posts',
  'blog_templates',
  'lessons',
  'lesson_progress',
  'bookings',
  'express_orders',
  'payments',
  'me_receipts',
  'coupons',
  'events_catalog',
  'event_prices',
  'event_regs',
  'leads',
  'funnels',
  'funnel_stages',
  'user_funnel_progress',
  'zg_referrals',
  'analytics_events',
  'experiments',
  'experiment_assignments',
  'ai_logs',
  'ai_suggestions_cache',
  'community_posts',
  'community_comments',
  'community_reports',
  'social_accounts',
  'social_posts',
  'social_analytics',
  'remote_flags',
  'i18n_dict',
  'email_templates',
  'email_queue',
  'email_logs',
  'badges',
  'zg_versions',
  'nudge_inbox',
  'push_subscriptions',
] as const;
export type SourceTableName = (typeof SOURCE_TABLES)[number];

/** Firebase Auth users come from here (postgres source only); it is a unit of its own. */
export const AUTH_TABLE = 'auth.users';
/** zg_profiles and user_roles together make the users/{uid} documents: one unit. */
export const USERS_UNIT = 'users';

/** A placeholder value that is not a column: the owner found through ai_suggestions_cache.profile_id. */
export const PROFILE_OWNER = '@profile_owner';

/**
 * A rule of one table that the generic field copy cannot express (coupons' discount_value, whose
 * meaning depends on discount_type). It lives with the table's spec, in rules/, and fills its
 * fields after the generic ones; the generic copy skips them.
 */
export interface TableRule {
  /** Model fields the rule fills. */
  fields: readonly string[];
  /** Checks the source catalog (a MappingError when it does not fit); returns the per-row step, which may reject. */
  compile(table: SourceTable): (row: SourceRow, data: Record<string, unknown>) => void;
  /** `plan --json` entries of the columns the rule reads. */
  plan: Record<string, { field: string; type: PlanFieldType }>;
  note: string;
}

interface TableSpec {
  table: SourceTableName;
  /** Path placeholder → source column (or PROFILE_OWNER). */
  params: Record<string, string>;
  /** Model field → source column, where the names differ. */
  aliases?: Record<string, string>;
  rule?: TableRule;
  /** Which rows go to which of the table's collections (default: every row to each). */
  route?: (collection: AnyCollection) => DestinationPlan['route'];
  /**
   * Columns that hold URLs of files (Supabase Storage objects): `zg-migrate files` copies what they
   * point to and they are rewritten to the new location. Other URL columns (meeting links, page
   * URLs, in-app links) are not files and stay as they are.
   */
  files?: string[];
  /** `plan --json` entries where the generic derivation says something else (users/{uid} is built from two tables). */
  planFields?: Record<string, { field: string; type: PlanFieldType }>;
  notes?: string[];
}

const SPECS: readonly TableSpec[] = [
  {
    table: 'zg_profiles',
    params: { uid: 'user_id' },
    aliases: { profile_id: 'id' },
    files: ['avatar_url'],
    planFields: { user_id: { field: '__name__', type: 'string' } },
    notes: [
      'zg_profiles and user_roles together make users/{uid}: one document for every auth user, profile owner and role holder (profile fields null without a profile).',
    ],
  },
  {
    table: 'user_roles',
    params: { uid: 'user_id' },
    planFields: {
      id: { field: 'role_grants.{role}.id', type: 'string' },
      user_id: { field: '__name__', type: 'string' },
      role: { field: 'roles', type: 'array' },
      created_at: { field: 'role_grants.{role}.created_at', type: 'timestamp' },
    },
    notes: ['Lands in users/{user_id}: role → the `roles` array (and the `roles` custom claim of the Auth user); id and created_at → role_grants.{role}.'],
  },
  { table: 'user_badges', params: { uid: 'user_id', awardId: 'id' } },
  { table: 'coaching_offers', params: { offerId: 'id' } },
  { table: 'cal_bookings', params: { calBookingDocId: 'id' } },
  { table: 'cal_event_types', params: { eventTypeId: 'id' }, notes: ['The integer id becomes the document id as text.'] },
  { table: 'me_sessions', params: { uid: 'user_id', sessionId: 'id' } },
  { table: 'me_goals', params: { uid: 'user_id', goalId: 'id' } },
  {
    table: 'blog_posts',
    params: { slug: 'slug' },
    files: ['cover_image'],
    notes: ['Keyed by slug (unique); a slug that is not a valid Firestore document id is rejected. The uuid stays in the `id` field.'],
  },
  { table: 'blog_templates', params: { templateId: 'id' } },
  {
    table: 'lessons',
    params: { lessonId: 'id' },
    notes: ['yt_id (what plays the lesson) goes to lesson_media/{id}, which the rules guard for paywalled lessons; the rest is the public catalogue entry.'],
  },
  {
    table: 'lesson_progress',
    params: { uid: 'user_id', lessonId: 'lesson_id' },
    notes: ['Keyed by lesson_id (unique per user); the row id stays in the `id` field.'],
  },
  { table: 'bookings', params: { bookingId: 'id' } },
  { table: 'express_orders', params: { orderId: 'id' } },
  { table: 'payments', params: { paymentId: 'id' } },
  { table: 'me_receipts', params: { uid: 'user_id', receiptId: 'id' }, files: ['receipt_url'] },
  {
    table: 'coupons',
    params: { couponId: 'id' },
    aliases: { discount_percent: 'discount_value', discount_amount_minor: 'discount_value' },
    rule: couponDiscount,
    notes: [couponDiscount.note],
  },
  { table: 'events_catalog', params: { eventId: 'id' }, files: ['cover_image'] },
  { table: 'event_prices', params: { eventId: 'event_id', priceId: 'id' } },
  { table: 'event_regs', params: { eventId: 'event_id', registrationId: 'id' } },
  { table: 'leads', params: { leadId: 'id' } },
  { table: 'funnels', params: { funnelId: 'id' } },
  { table: 'funnel_stages', params: { funnelId: 'funnel_id', stageId: 'id' } },
  { table: 'user_funnel_progress', params: { uid: 'user_id', progressId: 'id' } },
  { table: 'zg_referrals', params: { uid: 'referrer_id', referralId: 'id' }, notes: ['Lives under the referrer.'] },
  { table: 'analytics_events', params: { eventId: 'id' } },
  { table: 'experiments', params: { experimentId: 'id' } },
  { table: 'experiment_assignments', params: { assignmentId: 'id' } },
  { table: 'ai_logs', params: { logId: 'id' } },
  {
    table: 'ai_suggestions_cache',
    params: { uid: PROFILE_OWNER, suggestionId: 'id' },
    aliases: { user_id: PROFILE_OWNER },
    notes: ['The owner is zg_profiles.user_id of profile_id; a profile_id with no profile (or whose user is not migrated) is rejected.'],
  },
  { table: 'community_posts', params: { postId: 'id' } },
  { table: 'community_comments', params: { postId: 'post_id', commentId: 'id' } },
  { table: 'community_reports', params: { reportId: 'id' } },
  {
    table: 'social_accounts',
    params: { uid: 'user_id', accountId: 'id' },
    aliases: { account_id: 'id' },
    notes: ['access_token and refresh_token go to social_account_tokens/{id} (server-only), never to the owner-readable document.'],
  },
  { table: 'social_posts', params: { uid: 'user_id', postId: 'id' }, files: ['media_urls'] },
  { table: 'social_analytics', params: { analyticsId: 'id' } },
  { table: 'remote_flags', params: { key: 'key' } },
  { table: 'i18n_dict', params: { entryId: 'id' } },
  { table: 'email_templates', params: { templateId: 'id' } },
  { table: 'email_queue', params: { emailId: 'id' } },
  { table: 'email_logs', params: { logId: 'id' } },
  { table: 'badges', params: { code: 'code' } },
  { table: 'zg_versions', params: { versionId: 'id' } },
  { table: 'nudge_inbox', params: { uid: 'user_id', itemId: 'id' } },
  {
    table: 'push_subscriptions',
    params: { uid: 'user_id', subscriptionId: 'id' },
    route: (c) => (c.template.startsWith('users/') ? 'with-user' : 'without-user'),
    notes: ['Rows with a NULL user_id go to anonymous_push_subscriptions/{id} (server-only).'],
  },
];

/** How a field's value is made from its column's text. */
export type Conversion =
  'timestamp' | 'date' | 'money' | 'decimal' | 'json' | 'integer' | 'double' | 'string' | 'uid' | 'currency' | 'boolean' | 'strings' | 'null' | 'enum';

export interface FieldPlan {
  field: string;
  /** The source column, PROFILE_OWNER, or null for a field the unit computes (roles, role_grants). */
  column: string | null;
  /** The model's type name (describeType), e.g. "timestamp", "money_minor", "array<string>". */
  modelType: string;
  conversion: Conversion;
  nullable: boolean;
  /** For money: the column that holds the row's currency. */
  currencyColumn?: string;
  /** A URL column of a file (the spec's `files`): rewritten once `zg-migrate files` has copied it. */
  file?: boolean;
}

export interface DestinationPlan {
  collection: AnyCollection;
  /** Path placeholder → source column (or PROFILE_OWNER). */
  params: Record<string, string>;
  fields: FieldPlan[];
  /** The source column whose user owns the document (the one that fills {uid}), if any. */
  ownerColumn: string | null;
  /** Which rows go here: all, or (push_subscriptions) those with or without a user. */
  route: 'all' | 'with-user' | 'without-user';
}

export interface TablePlan {
  table: SourceTableName;
  unit: string;
  destinations: DestinationPlan[];
  /** Every source column the table must have, in a stable order. */
  columns: string[];
  /** The table's own rule (see TableRule), if any. */
  rule?: TableRule;
  /** URL columns of files (see TableSpec.files). */
  files: string[];
  planFields: Record<string, { field: string; type: PlanFieldType }>;
  notes: string[];
}

function conversionFor(modelType: string, table: string, field: string): Conversion {
  switch (modelType) {
    case 'timestamp':
      return 'timestamp';
    case 'date_string':
      return 'date';
    case 'money_minor':
      return 'money';
    case 'decimal_string':
      return 'decimal';
    case 'json':
      return 'json';
    case 'integer':
      return 'integer';
    case 'double':
      return 'double';
    case 'string':
      return 'string';
    case 'uid':
      return 'uid';
    case 'currency':
      return 'currency';
    case 'boolean':
      return 'boolean';
    case 'array<string>':
      return 'strings';
    case 'null':
      return 'null';
    default:
      if (modelType.startsWith("'")) return 'enum';
      throw new Error(`mapping: ${table} → field ${field} has model type ${modelType}, which no source column converts to`);
  }
}

function templateParams(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
}

function buildDestination(spec: TableSpec, collection: AnyCollection): DestinationPlan {
  const shape = collection.schema.shape as Record<string, z.ZodType>;
  const fields: FieldPlan[] = [];
  const isUsers = spec.table === 'zg_profiles' || spec.table === 'user_roles';
  for (const [field, t] of Object.entries(shape)) {
    const info = describeType(t);
    if (info.optional) continue; // written by the functions (or, for users, computed): never a source column
    if (isUsers && (field === 'roles' || field === 'role_grants')) {
      fields.push({ field, column: null, modelType: info.type, conversion: 'string', nullable: info.nullable });
      continue;
    }
    let column = spec.aliases?.[field] ?? field;
    if (!spec.aliases?.[field] && info.type === 'money_minor' && field.endsWith('_minor')) column = field.slice(0, -'_minor'.length);
    const conversion = conversionFor(info.type, spec.table, field);
    // A field whose type is null (anonymous push subscriptions' user_id) holds SQL NULL.
    const plan: FieldPlan = { field, column, modelType: info.type, conversion, nullable: info.nullable || conversion === 'null' };
    if (plan.conversion === 'money') plan.currencyColumn = 'currency';
    if (spec.files?.includes(column)) plan.file = true;
    fields.push(plan);
  }
  const route: DestinationPlan['route'] = spec.route?.(collection) ?? 'all';
  const params: Record<string, string> = {};
  for (const p of templateParams(collection.template)) {
    const column = spec.params[p];
    if (!column) throw new Error(`mapping: ${spec.table} has no column for {${p}} of ${collection.template}`);
    params[p] = column;
  }
  return { collection, params, fields, ownerColumn: params.uid ?? null, route };
}

let cached: TablePlan[] | undefined;

/** The plan of every table, built from the model and the specs above (checked for completeness). */
export function tablePlans(): TablePlan[] {
  if (cached) return cached;
  const plans: TablePlan[] = [];
  for (const table of SOURCE_TABLES) {
    const spec = SPECS.find((s) => s.table === table);
    if (!spec) throw new Error(`mapping: no spec for ${table}`);
    // users/{uid} is built from both tables of the unit; user_roles lists it too.
    const collections = table === 'user_roles' ? collectionsForTable('zg_profiles') : collectionsForTable(table);
    if (collections.length === 0) throw new Error(`mapping: the model has no collection for ${table}`);
    // The primary destination first: the users/… one where a table has two, else the one that takes most of the row
    // (lessons, not lesson_media).
    const width = (c: AnyCollection): number => Object.keys(c.schema.shape as object).length;
    collections.sort(
      (a, b) =>
        Number(b.template.startsWith('users/')) - Number(a.template.startsWith('users/')) || width(b) - width(a) || a.template.localeCompare(b.template),
    );
    const destinations = collections.map((c) => buildDestination(spec, c));
    const columns = new Set<string>();
    if (table === 'user_roles') {
      for (const c of ['id', 'user_id', 'role', 'created_at']) columns.add(c);
    } else {
      for (const d of destinations) {
        for (const c of Object.values(d.params)) if (c !== PROFILE_OWNER) columns.add(c);
        for (const f of d.fields) {
          if (f.column && f.column !== PROFILE_OWNER) columns.add(f.column);
          if (f.currencyColumn) columns.add(f.currencyColumn);
        }
      }
    }
    plans.push({
      table,
      unit: table === 'zg_profiles' || table === 'user_roles' ? USERS_UNIT : table,
      destinations,
      columns: [...columns],
      rule: spec.rule,
      files: spec.files ?? [],
      planFields: { ...spec.rule?.plan, ...spec.planFields },
      notes: spec.notes ?? [],
    });
  }
  cached = plans;
  return plans;
}

export function tablePlan(table: string): TablePlan {
  const plan = tablePlans().find((p) => p.table === table);
  if (!plan) throw new Error(`no such table: ${table}`);
  return plan;
}

/** The units of work: `auth.users`, `users` (zg_profiles + user_roles), then one per other table. */
export function allUnits(): string[] {
  const units = [AUTH_TABLE];
  for (const p of tablePlans()) if (!units.includes(p.unit)) units.push(p.unit);
  return units;
}

export function tablesOfUnit(unit: string): string[] {
  if (unit === AUTH_TABLE) return [AUTH_TABLE];
  return tablePlans()
    .filter((p) => p.unit === unit)
    .map((p) => p.table);
}

export function unitOfTable(table: string): string {
  if (table === AUTH_TABLE) return AUTH_TABLE;
  return tablePlan(table).unit;
}

/** The plan type names of `plan --json`. */
export type PlanFieldType = 'string' | 'integer' | 'double' | 'boolean' | 'timestamp' | 'date_string' | 'money_minor' | 'map' | 'array' | 'null';

export function planFieldType(modelType: string): PlanFieldType {
  if (modelType === 'json' || modelType === 'map') return 'map';
  if (modelType.startsWith('array')) return 'array';
  if (['integer', 'double', 'boolean', 'timestamp', 'date_string', 'money_minor', 'null'].includes(modelType)) return modelType as PlanFieldType;
  return 'string';
}

/** A path template over source columns: users/{user_id}/goals/{id}. */
export function pathOverColumns(d: DestinationPlan): string {
  return d.collection.template.replace(/\{(\w+)\}/g, (_, p: string) => {
    const col = d.params[p] ?? p;
    return col === PROFILE_OWNER ? '{profile_id→zg_profiles.user_id}' : `{${col}}`;
  });
}
