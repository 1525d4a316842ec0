/**
 * `zg-migrate verify`: reads every source row again, applies the documented transform, reads the
 * document(s) it must have become and compares them field by field. Independently of the
 * transform, every jsonb field is also decoded back (decodeJson) and compared with the source's
 * JSON. Rows the run rejected are listed as rejected (not missing); documents in the migrated
 * collections that no row accounts for are listed as extras. Firebase Auth users are checked too.
 */
import { decodeJson, isTimestampLike, mustGet, type AnyCollection, type JsonValue } from '@zhengrowth/model';
import type { DocumentSnapshot } from 'firebase-admin/firestore';
import { authRecord } from './auth-import.js';
import { loadIndexConfig } from './limits.js';
import { AUTH_TABLE, SOURCE_TABLES, tablePlan, USERS_UNIT } from './mapping.js';
import { pool, selectUnits, type MigrationEnv } from './run.js';
import { MigrationState } from './state.js';
import { compileTable, compileUsers, type DocWrite } from './transform.js';
import { authUnit, tableUnit, usersUnit, type Unit, type UnitContext, type WorkItem } from './units.js';
import { loadUserSet, type UidMapMode } from './users.js';
import type { MigrationRejectDoc } from '@zhengrowth/model';

export interface VerifyTable {
  table: string;
  source_rows: number;
  matched: number;
  mismatched: number;
  missing: number;
  rejected: number;
  replayed: number;
}

export interface VerifyReport {
  ok: boolean;
  tables: VerifyTable[];
  mismatches: Array<{ table: string; key: string; path: string; field: string; expected: string; actual: string }>;
  missing: Array<{ table: string; key: string; path: string; reason: string }>;
  rejected: Array<{ table: string; key: string; reason: string }>;
  extras: Array<{ collection: string; path: string }>;
}

export interface VerifyOptions {
  tables: string[] | null;
  uidMap: UidMapMode | null;
  concurrency: number;
}

const MAX_LISTED = 1000;
const FETCH_BATCH = 300;

function show(v: unknown): string {
  if (v === undefined) return '(absent)';
  if (isTimestampLike(v)) return `Timestamp(${v.seconds}, ${v.nanoseconds})`;
  const s = JSON.stringify(v, (_k, x: unknown) => (isTimestampLike(x) ? `Timestamp(${x.seconds}, ${x.nanoseconds})` : x));
  return s === undefined ? `(${typeof v})` : s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

/** The first difference between an expected and an actual value, as a dotted path; null when equal. */
export function firstDifference(expected: unknown, actual: unknown, path = ''): string | null {
  if (isTimestampLike(expected) || isTimestampLike(actual)) {
    return isTimestampLike(expected) && isTimestampLike(actual) && expected.seconds === actual.seconds && expected.nanoseconds === actual.nanoseconds
      ? null
      : path;
  }
  if (typeof expected === 'number' && typeof actual === 'number') return expected === actual || (Number.isNaN(expected) && Number.isNaN(actual)) ? null : path;
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual) || expected.length !== actual.length) return path;
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (typeof expected === 'object' && expected !== null && typeof actual === 'object' && actual !== null) {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const keys = new Set([...Object.keys(e), ...Object.keys(a)]);
    for (const k of keys) {
      if (!(k in e) || !(k in a)) return path ? `${path}.${k}` : k;
      const d = firstDifference(e[k], a[k], path ? `${path}.${k}` : k);
      if (d !== null) return d;
    }
    return null;
  }
  return expected === actual ? null : path;
}

function valueAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split(/\.|(?=\[)/)) {
    if (cur === null || cur === undefined) return undefined;
    const m = /^\[(\d+)\]$/.exec(part);
    cur = m ? (cur as unknown[])[Number(m[1])] : (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function templateRegex(c: AnyCollection): RegExp {
  return new RegExp(
    `^${c.template
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace(/\\?\{\w+\\?\}/g, '[^/]+')
      .replace(/\{\w+\}/g, '[^/]+')}$`,
  );
}

interface Expectation {
  /** For messages: the table and key of the item (users: the user id). */
  table: string;
  key: string;
  /** The source rows this document stands for (a users/{uid} document: the profile and role rows). */
  rows: Array<{ table: string; key: string }>;
  doc: DocWrite;
  /** jsonb fields to decode back and compare with the source text. */
  json: Array<{ field: string; text: string }>;
}

export async function verifyMigration(env: MigrationEnv, options: VerifyOptions): Promise<VerifyReport> {
  const { source } = env;
  const state = new MigrationState(env.db);
  const { units: unitNames } = selectUnits(options.tables);
  const previous = (await state.runs()).find((r) => r.doc.source === source.description);
  const uidMap: UidMapMode = options.uidMap ?? previous?.doc.uid_map ?? 'same';
  env.log(`Verifying against ${source.description} (uid map: ${uidMap}${previous ? `, as run ${previous.id}` : ''})`);

  const tables: string[] = [...SOURCE_TABLES];
  if (source.canReadAuthUsers) tables.push(AUTH_TABLE);
  const catalog = await source.catalog(tables);
  const missingTables = tables.filter((t) => !catalog.has(t));
  if (missingTables.length) throw new Error(`the source lacks table(s) ${missingTables.join(', ')}`);
  const users = await loadUserSet(source, catalog, { uidMap, auth: env.auth, log: env.log });
  const transformCtx = { users, indexes: loadIndexConfig() };
  const ctx: UnitContext = { source, catalog, users, transform: transformCtx };

  const report: VerifyReport = { ok: true, tables: [], mismatches: [], missing: [], rejected: [], extras: [] };
  const perTable = new Map<string, VerifyTable>();
  const tableStats = (t: string): VerifyTable => {
    let s = perTable.get(t);
    if (!s) {
      s = { table: t, source_rows: 0, matched: 0, mismatched: 0, missing: 0, rejected: 0, replayed: 0 };
      perTable.set(t, s);
    }
    return s;
  };
  const expectedPaths = new Map<string, Set<string>>();
  const expect = (c: AnyCollection, path: string): void => {
    const set = expectedPaths.get(c.template) ?? new Set<string>();
    set.add(path);
    expectedPaths.set(c.template, set);
  };

  const rejectState = new Map<string, MigrationRejectDoc>();
  const allTables = unitNames.flatMap((u) => (u === USERS_UNIT ? ['zg_profiles', 'user_roles'] : [u]));
  for (const r of await state.rejects(allTables)) rejectState.set(`${r.table}\u0000${r.key}`, r);

  async function check(batch: Expectation[]): Promise<void> {
    if (batch.length === 0) return;
    const snaps: DocumentSnapshot[] = await env.db.getAll(...batch.map((e) => env.db.doc(e.doc.path)));
    const byPath = new Map(snaps.map((s) => [s.ref.path, s]));
    // A row is matched when every document it became matches.
    const verdict = new Map<string, 'matched' | 'mismatched' | 'missing'>();
    const mark = (e: Expectation, v: 'mismatched' | 'missing'): void => {
      for (const r of e.rows) {
        const id = `${r.table}\u0000${r.key}`;
        if (verdict.get(id) !== 'missing') verdict.set(id, v);
      }
    };
    for (const e of batch) {
      for (const r of e.rows) if (!verdict.has(`${r.table}\u0000${r.key}`)) verdict.set(`${r.table}\u0000${r.key}`, 'matched');
      const snap = byPath.get(e.doc.path);
      if (!snap?.exists) {
        mark(e, 'missing');
        report.ok = false;
        if (report.missing.length < MAX_LISTED) report.missing.push({ table: e.table, key: e.key, path: e.doc.path, reason: 'no such document' });
        continue;
      }
      const actual = snap.data() as Record<string, unknown>;
      let diff = firstDifference(e.doc.data, actual);
      let expectedShown = diff === null ? '' : show(diff === '' ? e.doc.data : valueAt(e.doc.data, diff));
      let actualShown = diff === null ? '' : show(diff === '' ? actual : valueAt(actual, diff));
      if (diff === null) {
        for (const j of e.json) {
          let decoded: JsonValue | undefined;
          try {
            decoded = decodeJson(actual[j.field]);
          } catch {
            decoded = undefined;
          }
          const original: unknown = JSON.parse(j.text);
          if (firstDifference(original, decoded) !== null) {
            diff = `${j.field} (decoded)`;
            expectedShown = show(original);
            actualShown = show(decoded);
            break;
          }
        }
      }
      if (diff !== null) {
        mark(e, 'mismatched');
        report.ok = false;
        if (report.mismatches.length < MAX_LISTED)
          report.mismatches.push({ table: e.table, key: e.key, path: e.doc.path, field: diff || '(document)', expected: expectedShown, actual: actualShown });
      }
    }
    for (const [id, v] of verdict) tableStats(id.slice(0, id.indexOf('\u0000')))[v]++;
  }

  const tableUnits: Unit[] = unitNames
    .filter((u) => u !== AUTH_TABLE)
    .map((u) => (u === USERS_UNIT ? usersUnit(ctx, !source.canReadAuthUsers) : tableUnit(ctx, u)));
  // Replayed rows: the expectation comes from the row as replayed, not from the source.
  const replayedTransforms = new Map<string, ReturnType<typeof compileTable>>();
  const replayedUsers = compileUsers(
    tablePlan('zg_profiles'),
    mustGet(catalog, 'zg_profiles', 'source table'),
    mustGet(catalog, 'user_roles', 'source table'),
    transformCtx,
    !source.canReadAuthUsers,
  );

  const queueFor = (queue: Expectation[], item: WorkItem, rows: Expectation['rows'], label: string, docs: DocWrite[]): void => {
    const plan = label === USERS_UNIT ? null : tablePlan(label);
    for (const doc of docs) {
      expect(doc.collection, doc.path);
      const json: Expectation['json'] = [];
      if (plan && item.row) {
        const d = plan.destinations.find((x) => x.collection === doc.collection);
        for (const f of d?.fields ?? []) {
          const text = f.column ? item.row[f.column] : undefined;
          if (f.conversion === 'json' && typeof text === 'string') json.push({ field: f.field, text });
        }
      }
      queue.push({ table: label, key: item.key, rows, doc, json });
    }
  };

  await pool(tableUnits, options.concurrency, async (u) => {
    const queue: Expectation[] = [];
    const task = env.progress.task('verify', u.name, await u.remaining(null));
    for await (const page of u.items(null)) {
      task.add(page.length);
      for (const item of page) {
        // The source rows this item stands for.
        const rows: Expectation['rows'] =
          u.name === USERS_UNIT
            ? [
                ...[users.profileOfUser.get(item.key)].flatMap((key) => (key === undefined ? [] : [{ table: 'zg_profiles', key }])),
                ...(users.rolesByUser.get(item.key) ?? []).map((r) => ({ table: 'user_roles', key: r.id ?? '' })),
              ]
            : [{ table: u.name, key: item.key }];
        for (const r of rows) tableStats(r.table).source_rows++;
        const states = rows.map((r) => rejectState.get(`${r.table}\u0000${r.key}`));
        if (states.some((st) => st?.status === 'rejected')) {
          rows.forEach((r, i) => {
            tableStats(r.table).rejected++;
            if (report.rejected.length < MAX_LISTED)
              report.rejected.push({ table: r.table, key: r.key, reason: states[i]?.reason ?? 'rejected with its user document' });
          });
          continue;
        }
        let docs = item.docs;
        const replayed = rows.filter((_, i) => states[i]?.status === 'replayed');
        if (replayed.length > 0) {
          for (const r of replayed) tableStats(r.table).replayed++;
          if (u.name === USERS_UNIT) {
            const profile =
              states.find((st) => st?.table === 'zg_profiles')?.row ??
              (await source.byKeys(mustGet(catalog, 'zg_profiles', 'source table'), 'user_id', [item.key]))[0] ??
              null;
            const roleRows = (users.rolesByUser.get(item.key) ?? []).map((r) => rejectState.get(`user_roles\u0000${r.id ?? ''}`)?.row ?? r);
            const built = replayedUsers({ sourceId: item.key, profile, roles: roleRows });
            docs = built.outcome.ok ? built.outcome.docs : [];
          } else {
            const row = states[0]?.row;
            if (row) {
              let t = replayedTransforms.get(u.name);
              if (!t) {
                t = compileTable(tablePlan(u.name), mustGet(catalog, u.name, 'source table'), transformCtx);
                replayedTransforms.set(u.name, t);
              }
              const o = t(row);
              docs = o.ok ? o.docs : [];
              item.row = row;
            }
          }
        } else if (item.rejects.length > 0) {
          // The transform rejects the row now, but no run recorded it: it is not in Firestore.
          for (const r of rows) tableStats(r.table).missing++;
          report.ok = false;
          const first = item.rejects[0];
          if (report.missing.length < MAX_LISTED)
            report.missing.push({
              table: first?.table ?? u.name,
              key: item.key,
              path: '',
              reason: `not migrated and not recorded as rejected: ${first?.reason ?? ''}`,
            });
          continue;
        }
        queueFor(queue, item, rows, u.name, docs);
        if (queue.length >= FETCH_BATCH) await check(queue.splice(0, queue.length));
      }
    }
    await check(queue.splice(0, queue.length));
    task.finish();
  });

  // Extras: documents in the migrated collections that no row accounts for.
  const collections = new Map<string, AnyCollection>();
  for (const u of tableUnits) for (const t of u.tables) for (const d of tablePlan(t).destinations) collections.set(d.collection.template, d.collection);
  const skip = new Set<string>();
  for (const s of rejectState.values()) if (s.status === 'rejected') skip.add(`${s.table}\u0000${s.key}`);
  for (const c of collections.values()) {
    const re = templateRegex(c);
    const wanted = expectedPaths.get(c.template) ?? new Set<string>();
    const stream = env.db.collectionGroup(c.groupId).select().stream() as AsyncIterable<DocumentSnapshot>;
    for await (const snap of stream) {
      const path = snap.ref.path;
      if (!re.test(path) || wanted.has(path)) continue;
      if (report.extras.length < MAX_LISTED) report.extras.push({ collection: c.template, path });
      else break;
    }
  }

  // Firebase Auth.
  if (unitNames.includes(AUTH_TABLE)) await verifyAuth(env, ctx, authUnit(ctx, new Date()), rejectState, report, tableStats);

  report.tables = [...perTable.values()].sort((a, b) => a.table.localeCompare(b.table));
  return report;
}

async function verifyAuth(
  env: MigrationEnv,
  ctx: UnitContext,
  unit: Unit,
  rejectState: Map<string, MigrationRejectDoc>,
  report: VerifyReport,
  tableStats: (t: string) => VerifyTable,
): Promise<void> {
  const now = new Date();
  for await (const page of unit.items(null)) {
    const entries: NonNullable<WorkItem['auth']> = [];
    for (const item of page) {
      if (ctx.source.canReadAuthUsers) tableStats(AUTH_TABLE).source_rows++;
      const s = rejectState.get(`${AUTH_TABLE}\u0000${item.key}`);
      if (s?.status === 'rejected') {
        tableStats(AUTH_TABLE).rejected++;
        if (report.rejected.length < MAX_LISTED) report.rejected.push({ table: AUTH_TABLE, key: item.key, reason: s.reason });
      } else if (s?.status === 'replayed' && s.row) {
        // Imported later from the corrected row: check against that row.
        tableStats(AUTH_TABLE).replayed++;
        const o = authRecord(s.row, ctx.users, now);
        if (o.ok) entries.push({ record: o.record, existing: o.existing, table: AUTH_TABLE, key: item.key, row: s.row });
      } else if (item.rejects.length && ctx.source.canReadAuthUsers) {
        tableStats(AUTH_TABLE).missing++;
        report.ok = false;
        report.missing.push({
          table: AUTH_TABLE,
          key: item.key,
          path: '',
          reason: `not imported and not recorded as rejected: ${item.rejects[0]?.reason ?? ''}`,
        });
      } else entries.push(...(item.auth ?? []));
    }
    for (let i = 0; i < entries.length; i += 100) {
      const chunk = entries.slice(i, i + 100);
      const found = await env.auth.getUsers(chunk.map((e) => ({ uid: e.record.uid })));
      const byUid = new Map(found.users.map((u) => [u.uid, u]));
      for (const e of chunk) {
        const stats = tableStats(e.table === AUTH_TABLE ? AUTH_TABLE : 'auth (from profiles)');
        const u = byUid.get(e.record.uid);
        if (!u) {
          stats.missing++;
          report.ok = false;
          if (report.missing.length < MAX_LISTED)
            report.missing.push({ table: AUTH_TABLE, key: e.key, path: `auth:${e.record.uid}`, reason: 'no Firebase Auth user' });
          continue;
        }
        if (e.existing) {
          // An existing user (--uid-map email) keeps its own profile; only the roles claim is ours.
          const same = firstDifference(e.record.customClaims?.roles ?? [], u.customClaims?.roles ?? []) === null;
          if (same) stats.matched++;
          else {
            stats.mismatched++;
            report.ok = false;
            report.mismatches.push({
              table: AUTH_TABLE,
              key: e.key,
              path: `auth:${u.uid}`,
              field: 'customClaims.roles',
              expected: show(e.record.customClaims?.roles),
              actual: show(u.customClaims?.roles),
            });
          }
          continue;
        }
        const checks: Array<[string, unknown, unknown]> = [
          ['email', e.record.email?.toLowerCase(), u.email?.toLowerCase()],
          ['emailVerified', e.record.emailVerified ?? false, u.emailVerified],
          ['displayName', e.record.displayName, u.displayName],
          ['phoneNumber', e.record.phoneNumber, u.phoneNumber],
          ['disabled', e.record.disabled ?? false, u.disabled],
          ['customClaims.roles', e.record.customClaims?.roles ?? [], u.customClaims?.roles ?? []],
          ['passwordHash', e.record.passwordHash ? e.record.passwordHash.toString('base64') : undefined, e.record.passwordHash ? u.passwordHash : undefined],
        ];
        const bad = checks.find(([, a, b]) => firstDifference(a, b) !== null);
        if (bad) {
          stats.mismatched++;
          report.ok = false;
          if (report.mismatches.length < MAX_LISTED)
            report.mismatches.push({ table: AUTH_TABLE, key: e.key, path: `auth:${u.uid}`, field: bad[0], expected: show(bad[1]), actual: show(bad[2]) });
        } else stats.matched++;
      }
    }
  }
}
