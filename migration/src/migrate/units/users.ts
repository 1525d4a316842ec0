/**
 * The migrated user set and the uid of each user. A user is migrated when auth.users has them (the
 * postgres source), or a zg_profiles row or a user_roles row names them. Their uid is the Supabase
 * id (`--uid-map same`), or, with `--uid-map email`, the uid of the Firebase Auth user that already
 * has their e-mail address (compared case-insensitively, as Firebase Auth does); every user
 * reference of every table is rewritten through the same map.
 */
import { APP_ROLES } from '@zhengrowth/model';
import type { Auth } from 'firebase-admin/auth';
import type { SourceRow, SourceTable } from '../sources/catalog.js';
import type { Source } from '../sources/source.js';
import { withRetries } from '../target/retries.js';
import type { UserDirectory } from '../transform/index.js';

export type UidMapMode = 'same' | 'email';

const PAGE = 5000;

export class UserSet implements UserDirectory {
  /** Source user ids in the set, sorted (the users and auth units walk them in this order). */
  readonly sourceIds: string[];
  private readonly ids: Set<string>;
  /** Source id → Firebase uid, where they differ or the Firebase user already existed. */
  readonly mapped = new Map<string, string>();
  /** Source ids whose Firebase user already existed (found by e-mail): not imported again. */
  readonly existing = new Set<string>();
  /** Source users that share an e-mail address with another one (case-insensitively). */
  readonly sharedEmail = new Map<string, string>();

  constructor(
    ids: Iterable<string>,
    readonly profileUser: Map<string, string>,
    readonly profileOfUser: Map<string, string>,
    readonly rolesByUser: Map<string, SourceRow[]>,
    readonly emailOf: Map<string, string>,
    private readonly withAuth: boolean,
  ) {
    this.ids = new Set(ids);
    this.sourceIds = [...this.ids].sort();
  }

  has(sourceId: string): boolean {
    return this.ids.has(sourceId);
  }

  owner(sourceId: string): string | undefined {
    if (!this.ids.has(sourceId)) return undefined;
    return this.mapped.get(sourceId) ?? sourceId;
  }

  ref(sourceId: string): string {
    return this.owner(sourceId) ?? sourceId;
  }

  profileOwner(profileId: string): string | undefined {
    return this.profileUser.get(profileId);
  }

  whyMissing(sourceId: string): string {
    return this.withAuth
      ? `names no migrated user (${sourceId} has no auth.users row, no zg_profiles row and no user_roles row)`
      : `names no migrated user (${sourceId} has no zg_profiles row and no user_roles row; the supabase source cannot read auth.users)`;
  }

  /** The roles of a source user, in app_role order (the `roles` field and custom claim). */
  roles(sourceId: string): string[] {
    const held = new Set((this.rolesByUser.get(sourceId) ?? []).map((r) => r.role ?? ''));
    return APP_ROLES.filter((r) => held.has(r));
  }

  get size(): number {
    return this.ids.size;
  }

  /** Everything the set knows, as plain data (for a worker thread). */
  toData(): UserSetData {
    return {
      ids: this.sourceIds,
      profileUser: [...this.profileUser],
      profileOfUser: [...this.profileOfUser],
      rolesByUser: [...this.rolesByUser],
      emailOf: [...this.emailOf],
      withAuth: this.withAuth,
      mapped: [...this.mapped],
      existing: [...this.existing],
      sharedEmail: [...this.sharedEmail],
    };
  }

  static fromData(d: UserSetData): UserSet {
    const set = new UserSet(d.ids, new Map(d.profileUser), new Map(d.profileOfUser), new Map(d.rolesByUser), new Map(d.emailOf), d.withAuth);
    for (const [k, v] of d.mapped) set.mapped.set(k, v);
    for (const k of d.existing) set.existing.add(k);
    for (const [k, v] of d.sharedEmail) set.sharedEmail.set(k, v);
    return set;
  }
}

export interface UserSetData {
  ids: string[];
  profileUser: Array<[string, string]>;
  profileOfUser: Array<[string, string]>;
  rolesByUser: Array<[string, SourceRow[]]>;
  emailOf: Array<[string, string]>;
  withAuth: boolean;
  mapped: Array<[string, string]>;
  existing: string[];
  sharedEmail: Array<[string, string]>;
}

async function rowsOf(source: Source, table: SourceTable | undefined, columns: readonly string[]): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  if (table) for await (const page of source.scan(table, { after: null, pageSize: PAGE, columns })) rows.push(...page);
  return rows;
}

export interface LoadUsersOptions {
  uidMap: UidMapMode;
  /** Needed for --uid-map email (the lookup of existing users). */
  auth?: Auth;
  log?: (line: string) => void;
}

/** Reads the user set from the source (ids, profile owners, roles, e-mails) and maps uids. */
export async function loadUserSet(source: Source, catalog: Map<string, SourceTable>, options: LoadUsersOptions): Promise<UserSet> {
  const ids = new Set<string>();
  const emailOf = new Map<string, string>();
  const profileUser = new Map<string, string>();
  const profileOfUser = new Map<string, string>();
  const rolesByUser = new Map<string, SourceRow[]>();
  const profiles = catalog.get('zg_profiles');
  const roles = catalog.get('user_roles');
  if (!profiles || !roles) throw new Error('the source has no zg_profiles or user_roles table');

  const authUsers = source.canReadAuthUsers ? catalog.get('auth.users') : undefined;
  if (source.canReadAuthUsers && !authUsers) throw new Error('the source has no auth.users table');
  // The three tables read at once (each reader in the same snapshot), then taken in this order.
  const [authRows, profileRows, roleRows] = await Promise.all([
    rowsOf(source, authUsers, ['id', 'email']),
    rowsOf(source, profiles, ['id', 'user_id', 'email']),
    rowsOf(
      source,
      roles,
      roles.columns.map((c) => c.name),
    ),
  ]);
  for (const r of authRows) {
    if (!r.id) continue;
    ids.add(r.id);
    if (r.email) emailOf.set(r.id, r.email);
  }
  for (const r of profileRows) {
    if (!r.id || !r.user_id) continue;
    ids.add(r.user_id);
    profileUser.set(r.id, r.user_id);
    profileOfUser.set(r.user_id, r.id);
    if (!authUsers && r.email) emailOf.set(r.user_id, r.email);
  }
  for (const r of roleRows) {
    if (!r.user_id) continue;
    ids.add(r.user_id);
    const list = rolesByUser.get(r.user_id) ?? [];
    list.push(r);
    rolesByUser.set(r.user_id, list);
  }

  const set = new UserSet(ids, profileUser, profileOfUser, rolesByUser, emailOf, Boolean(authUsers));

  // Firebase Auth e-mails are case-insensitive: two source users with one address cannot both keep it.
  const byEmail = new Map<string, string[]>();
  for (const [id, email] of emailOf) {
    const key = email.toLowerCase();
    byEmail.set(key, [...(byEmail.get(key) ?? []), id]);
  }
  for (const [email, owners] of byEmail) {
    if (owners.length < 2) continue;
    const [first, ...rest] = owners.sort();
    for (const other of rest)
      set.sharedEmail.set(other, `its e-mail ${email} is also the e-mail of ${first ?? '?'} (Firebase Auth e-mails are case-insensitive)`);
  }

  if (options.uidMap === 'email') {
    if (!options.auth) throw new Error('--uid-map email needs Firebase Auth');
    const candidates = [...emailOf].filter(([id]) => !set.sharedEmail.has(id) && (byEmail.get(emailOf.get(id)?.toLowerCase() ?? '')?.length ?? 0) === 1);
    let found = 0;
    for (let i = 0; i < candidates.length; i += 100) {
      const chunk = candidates.slice(i, i + 100);
      const auth = options.auth;
      const res = await withRetries('Firebase Auth lookup', () => auth.getUsers(chunk.map(([, email]) => ({ email }))), null);
      const byLower = new Map(res.users.map((u) => [(u.email ?? '').toLowerCase(), u.uid]));
      for (const [id, email] of chunk) {
        const uid = byLower.get(email.toLowerCase());
        if (uid !== undefined) {
          set.mapped.set(id, uid);
          set.existing.add(id);
          found++;
        }
      }
    }
    options.log?.(
      `--uid-map email: ${found} of ${candidates.length} users with an e-mail already exist in Firebase Auth and keep their uid; the others are imported with their Supabase id`,
    );
  }
  return set;
}
