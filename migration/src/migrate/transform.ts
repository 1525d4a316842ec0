/**
 * Source row → Firestore documents, exactly, or a rejection with its reason. The field list, the
 * path and the final check come from the model (see mapping.ts); every document is validated with
 * its collection's zod schema and against Firestore's limits before it may be written.
 */
import { APP_ROLES, encodeJson, isKnownCurrency, JsonEncodingError, MoneyError, toMinorUnits, type AnyCollection, type JsonValue } from '@zhengrowth/model';
import { Timestamp } from 'firebase-admin/firestore';
import type { ColumnKind, SourceRow, SourceTable } from './catalog.js';
import { indexEntries, MAX_DEPTH, MAX_DOCUMENT_BYTES, MAX_INDEX_ENTRIES, measureDocument, type IndexConfig } from './limits.js';
import { PROFILE_OWNER, type Conversion, type DestinationPlan, type FieldPlan, type TablePlan } from './mapping.js';
import {
  checkJsonNumbers,
  parseBoolean,
  parseDate,
  parseDecimal,
  parseFloat8,
  parseInteger,
  parseTextArray,
  parseTimestamptz,
  Rejection,
  reject,
} from './pgtext.js';

/** Who the migrated users are, and what each source user id becomes. */
export interface UserDirectory {
  /** The Firebase uid of a migrated user; undefined when the id names no migrated user. */
  owner(sourceId: string): string | undefined;
  /** A user reference rewritten: the migrated user's uid, or the id unchanged when it names no migrated user. */
  ref(sourceId: string): string;
  /** zg_profiles.user_id of a profile id. */
  profileOwner(profileId: string): string | undefined;
  /** Why a source user id is not a migrated user (for the rejection reason). */
  whyMissing(sourceId: string): string;
}

export interface TransformContext {
  users: UserDirectory;
  indexes: IndexConfig;
}

export interface DocWrite {
  collection: AnyCollection;
  path: string;
  data: Record<string, unknown>;
  bytes: number;
  depth: number;
  indexEntries: number;
  escapedKeys: number;
}

export type RowOutcome = { ok: true; docs: DocWrite[] } | { ok: false; reason: string };

/** A mapping that does not fit the source's catalog: the migration cannot start. */
export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

const COMPATIBLE: Record<Conversion, readonly ColumnKind[]> = {
  timestamp: ['timestamptz'],
  date: ['date'],
  money: ['numeric', 'integer', 'bigint'],
  decimal: ['numeric'],
  json: ['jsonb'],
  integer: ['integer', 'bigint'],
  double: ['float', 'integer'],
  string: ['uuid', 'text', 'enum', 'inet', 'integer', 'bigint'],
  uid: ['uuid', 'text'],
  currency: ['text'],
  boolean: ['boolean'],
  strings: ['text[]'],
  null: ['uuid', 'text'],
  enum: ['text', 'enum'],
};

type Decoder = (text: string) => unknown;

function decoderFor(conversion: Conversion, field: FieldPlan, where: string, ctx: TransformContext): Decoder {
  const col = `${where}.${field.column ?? field.field}`;
  switch (conversion) {
    case 'timestamp':
      return (t) => {
        const i = parseTimestamptz(t, col);
        return new Timestamp(i.seconds, i.nanoseconds);
      };
    case 'date':
      return (t) => parseDate(t, col);
    case 'decimal':
      return (t) => parseDecimal(t, col);
    case 'json':
      return (t) => {
        checkJsonNumbers(t, col);
        let parsed: JsonValue;
        try {
          parsed = JSON.parse(t) as JsonValue;
        } catch (err) {
          return reject(`${col} is not valid JSON: ${(err as Error).message}`);
        }
        try {
          return encodeJson(parsed, { field: field.field });
        } catch (err) {
          if (err instanceof JsonEncodingError) return reject(`${col}: ${err.message}`);
          throw err;
        }
      };
    case 'integer':
      return (t) => parseInteger(t, col);
    case 'double':
      return (t) => parseFloat8(t, col);
    case 'boolean':
      return (t) => parseBoolean(t, col);
    case 'strings':
      return (t) => parseTextArray(t, col);
    case 'uid':
      return (t) => ctx.users.ref(t);
    case 'currency':
      return (t) => {
        const code = t.toUpperCase();
        if (!isKnownCurrency(code)) reject(`${col} ${JSON.stringify(t)} is not an ISO 4217 currency`);
        return code;
      };
    case 'null':
      return (t) => reject(`${col} is ${JSON.stringify(t)} where only NULL may go`);
    case 'string':
    case 'enum':
      return (t) => t;
    case 'money':
      throw new Error('money is decoded with its currency');
  }
}

function money(amount: string, currency: string | null, col: string, currencyCol: string): number {
  if (currency === null) reject(`${currencyCol} is NULL for the amount ${col} ${amount}: the currency of an amount is never guessed`);
  if (amount === 'NaN' || /Infinity/.test(amount)) reject(`${col} is ${amount}, which is no amount of money`);
  if (!isKnownCurrency(currency)) reject(`${currencyCol} ${JSON.stringify(currency)} is not an ISO 4217 currency, so ${col} ${amount} has no known minor unit`);
  try {
    return toMinorUnits(amount, currency);
  } catch (err) {
    if (err instanceof MoneyError) return reject(`${col}: ${err.message}`);
    throw err;
  }
}

interface CompiledField {
  field: string;
  build(row: SourceRow): unknown;
}

function compileField(
  f: FieldPlan,
  table: SourceTable,
  d: DestinationPlan,
  ctx: TransformContext,
  owner: (row: SourceRow) => string | undefined,
): CompiledField {
  const where = table.name;
  if (f.column === PROFILE_OWNER) {
    return { field: f.field, build: (row) => owner(row) ?? reject(`${where}: no owner`) };
  }
  const column = f.column;
  if (column === null) throw new Error(`${where}.${f.field} is computed by its unit`);
  const col = table.columns.find((c) => c.name === column);
  if (!col) throw new MappingError(`${where} has no column ${column} for ${d.collection.template} field ${f.field}`);
  if (!COMPATIBLE[f.conversion].includes(col.kind)) {
    throw new MappingError(`${where}.${column} is ${col.pgType}, which cannot become ${f.modelType} (${d.collection.template} field ${f.field})`);
  }
  const nullReason = `${where}.${column} is NULL, but ${d.collection.template} requires ${f.field}`;
  if (f.conversion === 'money') {
    const currencyColumn = f.currencyColumn ?? 'currency';
    if (!table.columns.some((c) => c.name === currencyColumn)) throw new MappingError(`${where} has no ${currencyColumn} column for the amount ${column}`);
    const colName = `${where}.${column}`;
    const curName = `${where}.${currencyColumn}`;
    return {
      field: f.field,
      build: (row) => {
        const v = row[column] ?? null;
        if (v === null) return f.nullable ? null : reject(nullReason);
        return money(v, row[currencyColumn] ?? null, colName, curName);
      },
    };
  }
  const decode = decoderFor(f.conversion, f, where, ctx);
  return {
    field: f.field,
    build: (row) => {
      const v = row[column] ?? null;
      if (v === null) return f.nullable ? null : reject(nullReason);
      return decode(v);
    },
  };
}

function zodReason(collection: AnyCollection, data: unknown): string | null {
  const res = collection.schema.safeParse(data);
  if (res.success) return null;
  return `${collection.template} does not accept it: ${res.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`)
    .join('; ')}`;
}

/** Checks a finished document against its schema and Firestore's limits; returns it with its figures. */
export function finishDocument(collection: AnyCollection, path: string, data: Record<string, unknown>, ctx: TransformContext): DocWrite {
  const invalid = zodReason(collection, data);
  if (invalid) reject(invalid);
  const { bytes, depth, escapedKeys } = measureDocument(path, data);
  if (bytes > MAX_DOCUMENT_BYTES) reject(`${path} would be ${bytes.toLocaleString('en')} bytes, over Firestore's 1 MiB (1,048,576 bytes) document limit`);
  if (depth > MAX_DEPTH) reject(`${path} nests ${depth} levels deep, over Firestore's ${MAX_DEPTH}`);
  const entries = indexEntries(collection.groupId, data, ctx.indexes);
  if (entries > MAX_INDEX_ENTRIES)
    reject(`${path} would make ${entries.toLocaleString('en')} index entries, over Firestore's ${MAX_INDEX_ENTRIES.toLocaleString('en')} per document`);
  return { collection, path, data, bytes, depth, indexEntries: entries, escapedKeys };
}

function docPathOf(collection: AnyCollection, params: Record<string, string>): string {
  try {
    return collection.docPath(params);
  } catch (err) {
    return reject(`no valid document path: ${(err as Error).message}`);
  }
}

export type RowTransform = (row: SourceRow) => RowOutcome;

function guard(fn: (row: SourceRow) => DocWrite[]): RowTransform {
  return (row) => {
    try {
      return { ok: true, docs: fn(row) };
    } catch (err) {
      if (err instanceof Rejection) return { ok: false, reason: err.reason };
      throw err;
    }
  };
}

/**
 * Compiles the transform of one table (not the users unit) against the source's catalog. Throws
 * MappingError when a column is missing, has an incompatible type, or has no destination.
 */
export function compileTable(plan: TablePlan, table: SourceTable, ctx: TransformContext): RowTransform {
  const known = new Set(plan.columns);
  const extra = table.columns.filter((c) => !known.has(c.name)).map((c) => c.name);
  if (extra.length) throw new MappingError(`${plan.table} has column(s) ${extra.join(', ')} that no destination takes: they would be lost`);
  const missing = plan.columns.filter((c) => !table.columns.some((t) => t.name === c));
  if (missing.length) throw new MappingError(`${plan.table} lacks column(s) ${missing.join(', ')} that the mapping reads`);

  // The owner of ai_suggestions_cache rows: the migrated user of the profile.
  const profileOwner = (row: SourceRow): string | undefined => {
    const profileId = row.profile_id ?? null;
    if (profileId === null) return undefined;
    const sourceUser = ctx.users.profileOwner(profileId);
    if (sourceUser === undefined) reject(`${plan.table}.profile_id ${profileId} has no zg_profiles row, so the row has no owner`);
    const uid = ctx.users.owner(sourceUser);
    if (uid === undefined) reject(`${plan.table}: the owner ${sourceUser} of profile ${profileId} ${ctx.users.whyMissing(sourceUser)}`);
    return uid;
  };

  const destinations = plan.destinations.map((d) => {
    const fields = d.fields
      .filter((f) => !(plan.table === 'coupons' && (f.field === 'discount_percent' || f.field === 'discount_amount_minor')))
      .map((f) => compileField(f, table, d, ctx, profileOwner));
    const params = Object.entries(d.params).map(([param, column]) => {
      if (column === PROFILE_OWNER) return { param, value: (row: SourceRow) => profileOwner(row) ?? reject(`${plan.table}: no owner`) };
      const ownerParam = param === 'uid';
      return {
        param,
        value: (row: SourceRow): string => {
          const v = row[column] ?? null;
          if (v === null) return reject(`${plan.table}.${column} is NULL, but it is part of the document path ${d.collection.template}`);
          if (!ownerParam) return v;
          const uid = ctx.users.owner(v);
          if (uid === undefined) return reject(`${plan.table}.${column} ${v} ${ctx.users.whyMissing(v)}: the row has no owner to live under`);
          return uid;
        },
      };
    });
    return { d, fields, params };
  });

  const discountValue = plan.table === 'coupons' ? table.columns.find((c) => c.name === 'discount_value') : undefined;
  if (plan.table === 'coupons' && discountValue?.kind !== 'numeric') throw new MappingError('coupons.discount_value must be numeric');

  return guard((row) => {
    const out: DocWrite[] = [];
    for (const { d, fields, params } of destinations) {
      if (d.route === 'with-user' && (row.user_id ?? null) === null) continue;
      if (d.route === 'without-user' && (row.user_id ?? null) !== null) continue;
      const p: Record<string, string> = {};
      for (const { param, value } of params) p[param] = value(row);
      const path = docPathOf(d.collection, p);
      const data: Record<string, unknown> = {};
      for (const f of fields) data[f.field] = f.build(row);
      if (plan.table === 'coupons') couponDiscount(row, data);
      out.push(finishDocument(d.collection, path, data, ctx));
    }
    return out;
  });
}

/** coupons.discount_value: a percentage (exact decimal text) or an amount (minor units), by discount_type. */
function couponDiscount(row: SourceRow, data: Record<string, unknown>): void {
  const type = row.discount_type ?? null;
  const value = row.discount_value ?? null;
  if (value === null) reject('coupons.discount_value is NULL');
  if (type === 'percent') {
    if (value === 'NaN' || /Infinity/.test(value)) reject(`coupons.discount_value is ${value}, which is no percentage`);
    data.discount_percent = parseDecimal(value, 'coupons.discount_value');
    data.discount_amount_minor = null;
  } else if (type === 'fixed') {
    data.discount_percent = null;
    data.discount_amount_minor = money(value, row.currency ?? null, 'coupons.discount_value', 'coupons.currency');
  } else {
    reject(`coupons.discount_type is ${JSON.stringify(type)}: only 'percent' and 'fixed' have a meaning for discount_value`);
  }
}

export interface UserInput {
  /** The source user id. */
  sourceId: string;
  profile: SourceRow | null;
  roles: SourceRow[];
}

export interface UserOutcome {
  outcome: RowOutcome;
  /** Which source rows (table, key) the document carries, for the counts and the rejects. */
  rows: Array<{ table: 'zg_profiles' | 'user_roles'; key: string; row: SourceRow }>;
}

/**
 * The users/{uid} document of one user: the zg_profiles fields (null without a profile), the roles
 * (in app_role order) and their grants. `passwordResetRequired` marks users that came without a
 * password hash (supabase source).
 */
export function compileUsers(
  plan: TablePlan,
  profiles: SourceTable,
  roles: SourceTable,
  ctx: TransformContext,
  passwordResetRequired: boolean,
): (input: UserInput) => UserOutcome {
  const d = plan.destinations[0];
  if (!d) throw new MappingError('users: no destination');
  const known = new Set(plan.columns);
  const extra = profiles.columns.filter((c) => !known.has(c.name)).map((c) => c.name);
  if (extra.length) throw new MappingError(`zg_profiles has column(s) ${extra.join(', ')} that no destination takes: they would be lost`);
  for (const c of ['id', 'user_id', 'role', 'created_at']) {
    if (!roles.columns.some((r) => r.name === c)) throw new MappingError(`user_roles lacks column ${c}`);
  }
  const roleCreated = roles.columns.find((c) => c.name === 'created_at');
  if (roleCreated?.kind !== 'timestamptz') throw new MappingError('user_roles.created_at must be timestamptz');
  const fields = d.fields.filter((f) => f.column !== null).map((f) => compileField(f, profiles, d, ctx, () => undefined));
  const profileFields = d.fields.filter((f) => f.column !== null);

  return (input) => {
    const rows: UserOutcome['rows'] = [];
    if (input.profile) rows.push({ table: 'zg_profiles', key: input.profile.id ?? '', row: input.profile });
    for (const r of input.roles) rows.push({ table: 'user_roles', key: r.id ?? '', row: r });
    const outcome = guard(() => {
      const uid = ctx.users.owner(input.sourceId);
      if (uid === undefined) reject(`user ${input.sourceId} ${ctx.users.whyMissing(input.sourceId)}`);
      const path = docPathOf(d.collection, { uid });
      const data: Record<string, unknown> = {};
      if (input.profile) {
        const profile = input.profile;
        for (const f of fields) data[f.field] = f.build(profile);
      } else {
        for (const f of profileFields) data[f.field] = null;
      }
      const grants: Record<string, { id: string; created_at: Timestamp | null }> = {};
      for (const r of input.roles) {
        const role = r.role ?? '';
        if (!(APP_ROLES as readonly string[]).includes(role)) reject(`user_roles.role ${JSON.stringify(role)} (row ${r.id}) is not an app_role`);
        if (grants[role]) reject(`user ${input.sourceId} holds role ${role} twice (user_roles ${grants[role].id} and ${r.id})`);
        const created = r.created_at ?? null;
        let at: Timestamp | null = null;
        if (created !== null) {
          const i = parseTimestamptz(created, `user_roles.created_at (row ${r.id})`);
          at = new Timestamp(i.seconds, i.nanoseconds);
        }
        grants[role] = { id: r.id ?? '', created_at: at };
      }
      data.roles = APP_ROLES.filter((role) => grants[role] !== undefined);
      data.role_grants = Object.fromEntries(APP_ROLES.filter((role) => grants[role]).map((role) => [role, grants[role]]));
      if (passwordResetRequired) data.password_reset_required = true;
      return [finishDocument(d.collection, path, data, ctx)];
    })({});
    return { outcome, rows };
  };
}
