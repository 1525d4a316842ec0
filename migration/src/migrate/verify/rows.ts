/**
 * The source side of verify: every row of each unit (or the given keys) through the same transform
 * as the run, turned into the documents it must have become — or accounted for as rejected by the
 * run, or as replayed (then the expectation comes from the row as replayed, not from the source).
 */
import { mustGet, type MigrationRejectDoc } from '@zhengrowth/model';
import type { MigrationContext, Prepared } from '../context/index.js';
import { tablePlan, USERS_UNIT } from '../plan/mapping.js';
import { compileTable, compileUsers, type CompiledTable, type DocWrite } from '../transform/index.js';
import type { Unit, WorkItem } from '../units/index.js';
import { checkDocuments, type Expectation, type ExpectedPaths } from './documents.js';
import type { VerifyTally } from './report.js';

const FETCH_BATCH = 300;

export type RejectState = Map<string, MigrationRejectDoc>;
export const rejectKey = (table: string, key: string): string => `${table}\u0000${key}`;

export interface RowsContext {
  ctx: MigrationContext;
  prepared: Prepared;
  rejects: RejectState;
  tally: VerifyTally;
  expected: ExpectedPaths;
}

/** The source rows a work item stands for. */
function rowsOf(rc: RowsContext, u: Unit, item: WorkItem): Expectation['rows'] {
  if (u.name !== USERS_UNIT) return [{ table: u.name, key: item.key }];
  const { users } = rc.prepared;
  return [
    ...[users.profileOfUser.get(item.key)].flatMap((key) => (key === undefined ? [] : [{ table: 'zg_profiles', key }])),
    ...(users.rolesByUser.get(item.key) ?? []).map((r) => ({ table: 'user_roles', key: r.id ?? '' })),
  ];
}

/** The documents a replayed item must have become: from the row(s) as replayed. */
async function replayedDocs(
  rc: RowsContext,
  u: Unit,
  item: WorkItem,
  states: Array<MigrationRejectDoc | undefined>,
  transforms: Map<string, CompiledTable>,
): Promise<DocWrite[]> {
  const { prepared, ctx } = rc;
  const { catalog, users } = prepared;
  const transformCtx = prepared.unitContext.transform;
  if (u.name === USERS_UNIT) {
    const build = compileUsers(
      tablePlan('zg_profiles'),
      mustGet(catalog, 'zg_profiles', 'source table'),
      mustGet(catalog, 'user_roles', 'source table'),
      transformCtx,
      !ctx.source.canReadAuthUsers,
    );
    const profile =
      states.find((st) => st?.table === 'zg_profiles')?.row ??
      (await ctx.source.byKeys(mustGet(catalog, 'zg_profiles', 'source table'), 'user_id', [item.key]))[0] ??
      null;
    const roleRows = (users.rolesByUser.get(item.key) ?? []).map((r) => rc.rejects.get(rejectKey('user_roles', r.id ?? ''))?.row ?? r);
    const built = build({ sourceId: item.key, profile, roles: roleRows });
    return built.outcome.ok ? built.outcome.docs : [];
  }
  const row = states[0]?.row;
  if (!row) return item.docs;
  let t = transforms.get(u.name);
  if (!t) {
    t = compileTable(tablePlan(u.name), mustGet(catalog, u.name, 'source table'), transformCtx);
    transforms.set(u.name, t);
  }
  const o = t.transform(row);
  item.row = row;
  return o.ok ? o.docs : [];
}

function queue(rc: RowsContext, out: Expectation[], item: WorkItem, rows: Expectation['rows'], label: string, docs: DocWrite[]): void {
  const plan = label === USERS_UNIT ? null : tablePlan(label);
  for (const doc of docs) {
    rc.expected.add(doc.collection, doc.path);
    const json: Expectation['json'] = [];
    if (plan && item.row) {
      const d = plan.destinations.find((x) => x.collection === doc.collection);
      for (const f of d?.fields ?? []) {
        const text = f.column ? item.row[f.column] : undefined;
        if (f.conversion === 'json' && typeof text === 'string') json.push({ field: f.field, text });
      }
    }
    out.push({ table: label, key: item.key, rows, doc, json });
  }
}

/** One work item: rejected, replayed, missing (rejected now but not by a run), or documents to check. */
async function expectItem(rc: RowsContext, u: Unit, item: WorkItem, out: Expectation[], transforms: Map<string, CompiledTable>): Promise<void> {
  const { tally } = rc;
  const rows = rowsOf(rc, u, item);
  for (const r of rows) tally.table(r.table).source_rows++;
  const states = rows.map((r) => rc.rejects.get(rejectKey(r.table, r.key)));
  if (states.some((st) => st?.status === 'rejected')) {
    rows.forEach((r, i) => {
      tally.table(r.table).rejected++;
      tally.rejected({ table: r.table, key: r.key, reason: states[i]?.reason ?? 'rejected with its user document' });
    });
    return;
  }
  let docs = item.docs;
  const replayed = rows.filter((_, i) => states[i]?.status === 'replayed');
  if (replayed.length > 0) {
    for (const r of replayed) tally.table(r.table).replayed++;
    docs = await replayedDocs(rc, u, item, states, transforms);
  } else if (item.rejects.length > 0) {
    // The transform rejects the row now, but no run recorded it: it is not in Firestore.
    for (const r of rows) tally.table(r.table).missing++;
    const first = item.rejects[0];
    tally.missing(
      { table: first?.table ?? u.name, key: item.key, path: '', reason: `not migrated and not recorded as rejected: ${first?.reason ?? ''}` },
      u.name,
    );
    return;
  }
  queue(rc, out, item, rows, u.name, docs);
}

/** Checks one unit's rows (`itemsOf` says which: all, or some keys). */
export async function verifyUnitRows(
  rc: RowsContext,
  u: Unit,
  itemsOf: (u: Unit) => AsyncIterable<WorkItem[]>,
  total: (u: Unit) => Promise<number>,
  transforms: Map<string, CompiledTable>,
): Promise<void> {
  const out: Expectation[] = [];
  const task = rc.ctx.progress.task('verify', u.name, await total(u));
  for await (const page of itemsOf(u)) {
    task.add(page.length);
    for (const item of page) {
      await expectItem(rc, u, item, out, transforms);
      if (out.length >= FETCH_BATCH) await checkDocuments(rc.ctx.db, out.splice(0, out.length), rc.tally);
    }
  }
  await checkDocuments(rc.ctx.db, out.splice(0, out.length), rc.tally);
  task.finish();
}
