/**
 * users/{uid}: one document per migrated user, from their zg_profiles row (profile fields null
 * without one) and their user_roles rows (`roles` in app_role order, `role_grants.{role}` with the
 * row's id and created_at, so no fact of a role row is lost).
 */
import { APP_ROLES } from '@zhengrowth/model';
import { Timestamp } from 'firebase-admin/firestore';
import type { SourceRow, SourceTable } from '../sources/catalog.js';
import { MappingError, type TablePlan } from '../plan/mapping.js';
import { parseTimestamptz, reject } from '../codecs/pgtext.js';
import { docPathOf, finishDocument, guard } from './document.js';
import { compileField } from './fields.js';
import type { RowOutcome, TransformContext } from './types.js';

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
