/**
 * The user fan-out of a sync. users/{uid} is made of a zg_profiles row and user_roles rows, and a
 * Firebase Auth user of an auth.users row (or, for the supabase source, of the profile): a change to
 * any of them rebuilds the user's document and brings their Auth user up to date. A deleted profile
 * or role row is found in the documents (`profile_id`, `role_grants.{role}.id`) when the stream did
 * not carry the old row; a user who is no longer migrated loses their document, and their Auth
 * user when zg-migrate imported it (an account that existed before, kept by `--uid-map email`, is
 * never deleted).
 */
import { APP_ROLES, mustGet, users as usersCollection } from '@zhengrowth/model';
import type { UserRecord } from 'firebase-admin/auth';
import { authDifference, importBatch } from '../units/auth-import.js';
import type { MigrationContext, Prepared } from '../context/index.js';
import { AUTH_TABLE, USERS_UNIT } from '../plan/mapping.js';
import { withRetries } from '../target/retries.js';
import type { WorkItem } from '../units/index.js';
import type { ChangeSet } from './changes.js';
import type { SyncWrites } from './writes.js';
import { pool } from '../concurrency/pool.js';

/** Source user id of a uid (the inverse of the uid map). */
function sourceIdOf(prepared: Prepared, uid: string): string {
  for (const [source, mapped] of prepared.users.mapped) if (mapped === uid) return source;
  return uid;
}

interface Lookup {
  key: string;
  /** The fields of users/{uid} that name the row (profile_id, role_grants.{role}.id). */
  fields: string[];
  /** The row's user now, if it has one. */
  owner: string | undefined;
}

/**
 * Rows changed without their old values in the stream whose user before the change is not known
 * for sure. At every synced point one document at most names a row (a row has one user), so a row
 * that its present user's document names already had that user: only the rest — deleted rows, rows
 * given to another user — are searched for (a query per 30 keys, a few at a time).
 */
async function formerUsers(ctx: MigrationContext, prepared: Prepared, lookups: readonly Lookup[], into: Set<string>): Promise<void> {
  const { db } = ctx;
  const users = db.collection(usersCollection.collectionPath({}));
  const search: Lookup[] = lookups.filter((l) => l.owner === undefined);
  const owned = lookups.filter((l) => l.owner !== undefined);
  for (let i = 0; i < owned.length; i += 300) {
    const chunk = owned.slice(i, i + 300);
    const snaps = await db.getAll(...chunk.map((l) => users.doc(prepared.users.ref(l.owner ?? ''))));
    chunk.forEach((l, j) => {
      if (!l.fields.some((f) => snaps[j]?.get(f) === l.key)) search.push(l);
    });
  }
  const queries: Array<{ field: string; keys: string[] }> = [];
  for (const field of new Set(search.flatMap((l) => l.fields))) {
    const keys = search.filter((l) => l.fields.includes(field)).map((l) => l.key);
    for (let i = 0; i < keys.length; i += 30) queries.push({ field, keys: keys.slice(i, i + 30) });
  }
  await pool(queries, 4, async (q) => {
    const snap = await users.where(q.field, 'in', q.keys).select().get();
    for (const d of snap.docs) into.add(sourceIdOf(prepared, d.id));
  });
}

/** The source users whose document (and Auth user) the changes may have changed. */
export async function affectedUsers(ctx: MigrationContext, prepared: Prepared, changes: ChangeSet): Promise<Set<string>> {
  const { users } = prepared;
  const affected = new Set<string>(changes.keys(AUTH_TABLE));
  const roleOwner = new Map<string, string>();
  for (const [user, rows] of users.rolesByUser) for (const r of rows) if (r.id) roleOwner.set(r.id, user);
  const lookups: Lookup[] = [];
  const collect = (table: string, current: (key: string) => string | undefined, fields: string[]): void => {
    for (const [key, change] of changes.tables.get(table) ?? []) {
      const now = current(key);
      if (now) affected.add(now);
      // Every user an old row names may still have the row in their document (KeyChange.olds).
      const before = change.olds.map((row) => row.user_id).filter((u): u is string => !!u);
      for (const u of before) affected.add(u);
      if (!before.length && !change.onlyInserted) lookups.push({ key, fields, owner: now });
    }
  };
  collect('zg_profiles', (key) => users.profileUser.get(key), ['profile_id']);
  collect(
    'user_roles',
    (key) => roleOwner.get(key),
    APP_ROLES.map((role) => `role_grants.${role}.id`),
  );
  // Rows gone or moved without their old values in the stream: the documents say whose they were.
  await formerUsers(ctx, prepared, lookups, affected);
  return affected;
}

/** Rebuilds users/{uid} of the affected users (or deletes it) and keeps the reject records of their rows in step. */
export async function applyUsers(prepared: Prepared, ids: ReadonlySet<string>, changes: ChangeSet, out: SyncWrites): Promise<void> {
  const { users } = prepared;
  const unit = prepared.unit(USERS_UNIT);
  const items = new Map<string, WorkItem>();
  for await (const page of unit.keyed([...ids])) for (const item of page) items.set(item.key, item);
  const accounted = new Set<string>();
  for (const id of [...ids].sort()) {
    const item = items.get(id);
    const path = usersCollection.docPath({ uid: users.ref(id) });
    const rows = [
      ...[users.profileOfUser.get(id)].flatMap((key) => (key === undefined ? [] : [{ table: 'zg_profiles', key }])),
      ...(users.rolesByUser.get(id) ?? []).map((r) => ({ table: 'user_roles', key: r.id ?? '' })),
    ];
    for (const r of rows) accounted.add(`${r.table}\u0000${r.key}`);
    const docs = item?.docs ?? [];
    await out.put(id, docs, docs.length ? [] : [path], item?.rejects ?? [], rows);
  }
  // Profile and role rows that are gone: their reject records go too.
  for (const table of ['zg_profiles', 'user_roles']) {
    for (const key of changes.keys(table)) {
      if (!accounted.has(`${table}\u0000${key}`)) await out.put(`${table}:${key}`, [], [], [], [{ table, key }]);
    }
  }
}

/** Brings the Firebase Auth users of the affected users in line with the source. */
export async function applyAuth(ctx: MigrationContext, prepared: Prepared, ids: ReadonlySet<string>, out: SyncWrites): Promise<void> {
  const { users } = prepared;
  const unit = prepared.unit(AUTH_TABLE);
  const items = new Map<string, WorkItem>();
  for await (const page of unit.keyed([...ids])) for (const item of page) items.set(item.key, item);
  const list = [...ids];
  const present = new Map<string, UserRecord>();
  for (let i = 0; i < list.length; i += 100) {
    const found = await withRetries('Firebase Auth lookup', () => ctx.auth.getUsers(list.slice(i, i + 100).map((id) => ({ uid: users.ref(id) }))), null);
    for (const u of found.users) present.set(u.uid, u);
  }
  const toImport: Array<NonNullable<WorkItem['auth']>[number]> = [];
  const toDelete: string[] = [];
  for (const id of list) {
    const item = items.get(id);
    const entry = item?.auth?.[0];
    const uid = users.ref(id);
    const u = present.get(uid);
    if (entry) {
      const diff = u ? authDifference(entry.record, u, entry.existing) : null;
      if (!u) toImport.push(entry);
      else if (diff?.field === 'customClaims.roles')
        await withRetries(
          'Firebase Auth claims',
          () => ctx.auth.setCustomUserClaims(uid, { ...u.customClaims, roles: entry.record.customClaims?.roles as unknown }),
          null,
        );
      else if (diff) {
        // A changed hash (or e-mail, name…): import again; before the switch, nobody signs in to these accounts.
        toDelete.push(uid);
        toImport.push(entry);
      }
    } else if (u && uid === id && !users.existing.has(id)) toDelete.push(uid);
    if (ctx.source.canReadAuthUsers) await out.put(`auth:${id}`, [], [], item?.rejects ?? [], [{ table: AUTH_TABLE, key: id }]);
  }
  if (toDelete.length) await withRetries('Firebase Auth delete', () => ctx.auth.deleteUsers(toDelete), null);
  for (let i = 0; i < toImport.length; i += 1000) {
    const chunk = toImport.slice(i, i + 1000);
    const res = await importBatch(
      ctx.auth,
      chunk.map((e) => ({ record: e.record, existing: e.existing })),
    );
    for (const f of res.failed) {
      const e = mustGet(new Map(chunk.map((c, j) => [j, c])), f.index, 'import entry');
      if (e.table === AUTH_TABLE) await out.put(`auth:${e.key}`, [], [], [{ table: AUTH_TABLE, key: e.key, reason: f.reason, row: e.row }], []);
      else ctx.log(`warning: Firebase Auth user ${e.record.uid} not imported: ${f.reason}`);
    }
  }
}
