/**
 * Firebase Auth against the source: every user the run imported (email, verification, name, phone,
 * disabled, roles claim, hash), users that existed before (`--uid-map email`) for their roles claim.
 */
import type { MigrationContext } from '../context/index.js';
import { authDifference, authRecord } from '../units/auth-import.js';
import { AUTH_TABLE } from '../plan/mapping.js';
import type { UnitContext, WorkItem } from '../units/index.js';
import { withRetries } from '../target/retries.js';
import { show } from './compare.js';
import type { VerifyTally } from './report.js';
import { rejectKey, type RejectState } from './rows.js';

type AuthEntry = NonNullable<WorkItem['auth']>[number];

function entriesOf(ctx: UnitContext, page: WorkItem[], rejects: RejectState, tally: VerifyTally, now: Date): AuthEntry[] {
  const entries: AuthEntry[] = [];
  for (const item of page) {
    if (ctx.source.canReadAuthUsers) tally.table(AUTH_TABLE).source_rows++;
    const s = rejects.get(rejectKey(AUTH_TABLE, item.key));
    if (s?.status === 'rejected') {
      tally.table(AUTH_TABLE).rejected++;
      tally.rejected({ table: AUTH_TABLE, key: item.key, reason: s.reason });
    } else if (s?.status === 'replayed' && s.row) {
      // Imported later from the corrected row: check against that row.
      tally.table(AUTH_TABLE).replayed++;
      const o = authRecord(s.row, ctx.users, now);
      if (o.ok) entries.push({ record: o.record, existing: o.existing, table: AUTH_TABLE, key: item.key, row: s.row });
    } else if (item.rejects.length && ctx.source.canReadAuthUsers) {
      tally.table(AUTH_TABLE).missing++;
      tally.missing({ table: AUTH_TABLE, key: item.key, path: '', reason: `not imported and not recorded as rejected: ${item.rejects[0]?.reason ?? ''}` });
    } else entries.push(...(item.auth ?? []));
  }
  return entries;
}

export async function verifyAuth(
  ctx: MigrationContext,
  unitCtx: UnitContext,
  items: AsyncIterable<WorkItem[]>,
  rejects: RejectState,
  tally: VerifyTally,
): Promise<void> {
  const now = new Date();
  for await (const page of items) {
    const entries = entriesOf(unitCtx, page, rejects, tally, now);
    for (let i = 0; i < entries.length; i += 100) {
      const chunk = entries.slice(i, i + 100);
      const found = await withRetries('Firebase Auth lookup', () => ctx.auth.getUsers(chunk.map((e) => ({ uid: e.record.uid }))), null);
      const byUid = new Map(found.users.map((u) => [u.uid, u]));
      for (const e of chunk) {
        const stats = tally.table(e.table === AUTH_TABLE ? AUTH_TABLE : 'auth (from profiles)');
        const u = byUid.get(e.record.uid);
        if (!u) {
          stats.missing++;
          tally.missing({ table: AUTH_TABLE, key: e.key, path: `auth:${e.record.uid}`, reason: 'no Firebase Auth user' });
          continue;
        }
        // An existing user (--uid-map email) keeps its own profile; only the roles claim is ours.
        const bad = authDifference(e.record, u, e.existing);
        if (bad) {
          stats.mismatched++;
          tally.mismatch({ table: AUTH_TABLE, key: e.key, path: `auth:${u.uid}`, field: bad.field, expected: show(bad.expected), actual: show(bad.actual) });
        } else stats.matched++;
      }
    }
  }
}
