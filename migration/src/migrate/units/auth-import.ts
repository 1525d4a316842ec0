/**
 * Firebase Auth users from auth.users (postgres source) or, for the supabase source, from the
 * profiles (no password hashes: those users must reset their password). importUsers takes 1,000
 * users a call; bcrypt hashes ("$2a$10$…", as Supabase stores them) are passed whole, so existing
 * passwords keep working. A user that already exists in Firebase Auth (a resumed or repeated run,
 * or --uid-map email) is not imported again; only its `roles` claim is brought up to date.
 */
import type { Auth, UserImportRecord, UserRecord } from 'firebase-admin/auth';
import type { SourceRow } from '../sources/catalog.js';
import { formatInstant, parseTimestamptz, Rejection, reject } from '../codecs/pgtext.js';
import { withRetries } from '../target/retries.js';
import type { UserSet } from './users.js';

export const AUTH_BATCH = 1000;

export type AuthOutcome = { ok: true; record: UserImportRecord; existing: boolean } | { ok: false; reason: string };

const BCRYPT = /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/;
const E164 = /^\+[1-9]\d{6,14}$/;

function timeString(text: string | null, column: string): string | undefined {
  if (text === null) return undefined;
  const i = parseTimestamptz(text, column);
  // importUsers reads these with Date.parse; Auth keeps milliseconds.
  return formatInstant(i).replace(/(\.\d{3})\d{3}Z$/, '$1Z');
}

function jsonObject(text: string | null): Record<string, unknown> {
  if (text === null) return {};
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The import record of one auth.users row (postgres source). */
export function authRecord(row: SourceRow, users: UserSet, now: Date): AuthOutcome {
  try {
    const id = row.id ?? reject('auth.users.id is NULL');
    const uid = users.owner(id) ?? reject(`auth.users ${id} is not in the user set`);
    const shared = users.sharedEmail.get(id);
    if (shared) reject(`auth.users ${id}: ${shared}`);
    const record: UserImportRecord = { uid, customClaims: { roles: users.roles(id) } };
    const email = row.email ?? null;
    if (email !== null && email !== '') record.email = email;
    record.emailVerified = (row.email_confirmed_at ?? null) !== null;
    const meta = jsonObject(row.raw_user_meta_data ?? null);
    const name = typeof meta.name === 'string' ? meta.name : typeof meta.full_name === 'string' ? meta.full_name : undefined;
    if (name) record.displayName = name;
    const phone = row.phone ?? null;
    if (phone) {
      const e164 = phone.startsWith('+') ? phone : `+${phone}`;
      if (!E164.test(e164)) reject(`auth.users ${id}: phone ${JSON.stringify(phone)} is not an E.164 number Firebase Auth accepts`);
      record.phoneNumber = e164;
    }
    const hash = row.encrypted_password ?? null;
    if (hash !== null && hash !== '') {
      if (!BCRYPT.test(hash)) reject(`auth.users ${id}: encrypted_password is not a bcrypt hash, so it cannot be imported`);
      record.passwordHash = Buffer.from(hash);
    }
    const creationTime = timeString(row.created_at ?? null, 'auth.users.created_at');
    const lastSignInTime = timeString(row.last_sign_in_at ?? null, 'auth.users.last_sign_in_at');
    if (creationTime || lastSignInTime) record.metadata = { ...(creationTime ? { creationTime } : {}), ...(lastSignInTime ? { lastSignInTime } : {}) };
    const bannedUntil = row.banned_until ?? null;
    const banned = bannedUntil !== null && (bannedUntil === 'infinity' || new Date(timeString(bannedUntil, 'auth.users.banned_until') ?? 0) > now);
    // Soft-deleted and banned users come across disabled: they cannot sign in, as in Supabase.
    record.disabled = banned || (row.deleted_at ?? null) !== null;
    return { ok: true, record, existing: users.existing.has(id) };
  } catch (err) {
    if (err instanceof Rejection) return { ok: false, reason: err.reason };
    throw err;
  }
}

/** The import record of a user known only from the profiles and roles (supabase source). */
export function profileRecord(sourceId: string, profile: SourceRow | null, users: UserSet): AuthOutcome {
  try {
    const uid = users.owner(sourceId) ?? reject(`${sourceId} is not in the user set`);
    const shared = users.sharedEmail.get(sourceId);
    if (shared) reject(`user ${sourceId}: ${shared}`);
    const record: UserImportRecord = { uid, customClaims: { roles: users.roles(sourceId) } };
    if (profile?.email) record.email = profile.email;
    if (profile?.name) record.displayName = profile.name;
    const creationTime = timeString(profile?.created_at ?? null, 'zg_profiles.created_at');
    if (creationTime) record.metadata = { creationTime };
    return { ok: true, record, existing: users.existing.has(sourceId) };
  } catch (err) {
    if (err instanceof Rejection) return { ok: false, reason: err.reason };
    throw err;
  }
}

function sameRoles(a: unknown, b: readonly string[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((r, i) => r === b[i]);
}

export interface ImportResult {
  imported: number;
  existing: number;
  failed: Array<{ index: number; reason: string }>;
}

/**
 * Imports up to 1,000 records. Users that already exist are left as they are apart from their
 * `roles` claim (the emulator refuses to overwrite an existing uid, and a user may have signed in
 * and changed their password since the first import). A transient failure of Firebase Auth (the
 * network, its rate limit) repeats the whole batch: it reads again which users exist, so users an
 * interrupted call did import count as existing, never as refused.
 */
export function importBatch(auth: Auth, records: Array<{ record: UserImportRecord; existing: boolean }>): Promise<ImportResult> {
  return withRetries('Firebase Auth import', () => importOnce(auth, records), null);
}

async function importOnce(auth: Auth, records: Array<{ record: UserImportRecord; existing: boolean }>): Promise<ImportResult> {
  const result: ImportResult = { imported: 0, existing: 0, failed: [] };
  const present = new Map<string, Record<string, unknown> | undefined>();
  for (let i = 0; i < records.length; i += 100) {
    const chunk = records.slice(i, i + 100);
    const found = await auth.getUsers(chunk.map((r) => ({ uid: r.record.uid })));
    for (const u of found.users) present.set(u.uid, u.customClaims);
  }
  const fresh: Array<{ index: number; record: UserImportRecord }> = [];
  for (const [index, r] of records.entries()) {
    if (present.has(r.record.uid)) {
      const claims = present.get(r.record.uid) ?? {};
      const roles = (r.record.customClaims?.roles ?? []) as string[];
      if (!sameRoles(claims.roles, roles)) await auth.setCustomUserClaims(r.record.uid, { ...claims, roles });
      result.existing++;
    } else fresh.push({ index, record: r.record });
  }
  if (fresh.length > 0) {
    const withHash = fresh.some((f) => f.record.passwordHash !== undefined);
    const res = await auth.importUsers(
      fresh.map((f) => f.record),
      withHash ? { hash: { algorithm: 'BCRYPT' } } : undefined,
    );
    for (const e of res.errors) {
      const f = fresh[e.index];
      if (f) result.failed.push({ index: f.index, reason: `Firebase Auth refused the user: ${e.error.message}` });
    }
    result.imported += res.successCount;
  }
  return result;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The first field in which a Firebase Auth user differs from its import record (`verify` reports it,
 * `sync` re-imports the user); for a user that existed before the migration (--uid-map email) only
 * the roles claim is ours.
 */
export function authDifference(record: UserImportRecord, u: UserRecord, existing: boolean): { field: string; expected: unknown; actual: unknown } | null {
  const roles: [string, unknown, unknown] = ['customClaims.roles', record.customClaims?.roles ?? [], u.customClaims?.roles ?? []];
  const checks: Array<[string, unknown, unknown]> = existing
    ? [roles]
    : [
        ['email', record.email?.toLowerCase(), u.email?.toLowerCase()],
        ['emailVerified', record.emailVerified ?? false, u.emailVerified],
        ['displayName', record.displayName, u.displayName],
        ['phoneNumber', record.phoneNumber, u.phoneNumber],
        ['disabled', record.disabled ?? false, u.disabled],
        roles,
        ['passwordHash', record.passwordHash ? record.passwordHash.toString('base64') : undefined, record.passwordHash ? u.passwordHash : undefined],
      ];
  const bad = checks.find(([, a, b]) => !same(a, b));
  return bad ? { field: bad[0], expected: bad[1], actual: bad[2] } : null;
}
