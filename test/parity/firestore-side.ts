/**
 * The Firestore side of the parity suite: the emulator with firestore.rules, through
 * @firebase/rules-unit-testing. Seeded (rules disabled) with the documents mapping.ts builds from
 * the rows PostgreSQL stored; each write cell is undone afterwards (rules disabled) so cells never
 * see each other's writes, as the SQL side rolls back.
 */
import fs from 'node:fs';
import { initializeTestEnvironment, type RulesTestEnvironment } from '@firebase/rules-unit-testing';
import type { AnyCollection } from '@zhengrowth/model';
import {
  collection,
  collectionGroup,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  orderBy,
  query,
  setDoc,
  setLogLevel,
  Timestamp,
  where,
  writeBatch,
  type Firestore,
  type Query,
} from 'firebase/firestore';
import { ACTORS, type ActorId } from './actors.js';
import { resolveRow, type Outcome, type ResolvedList } from './cells.js';
import { readCoverage } from './coverage.js';
import { pkOf, type Fixture, type Row } from './fixture.js';
import { allDocs, asText, docsOfRow, fieldValue, mappingOf, NOW, rowKeyByPath, type DocOut } from './mapping.js';
import type { Case } from './matrix.js';
import type { SqlSide } from './sql-side.js';

type Write = { path: string; data: Record<string, unknown> } | { path: string; delete: true };

/** Stable text of a document's data, to see whether a write changes it. */
function fingerprint(data: Record<string, unknown> | undefined): string {
  return JSON.stringify(data ?? null, (_k, v: unknown) => {
    if (v instanceof Timestamp) return `ts:${v.seconds}.${v.nanoseconds}`;
    if (v && typeof v === 'object' && v.constructor?.name?.includes('FieldValue')) return 'server-timestamp';
    if (v && typeof v === 'object' && !Array.isArray(v))
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
    return v;
  });
}

export class FirestoreSide {
  private dbs = new Map<ActorId, Firestore>();
  private docs = new Map<string, DocOut>();

  private constructor(
    readonly env: RulesTestEnvironment,
    readonly projectId: string,
  ) {}

  static async open(projectId: string, rulesPath: string, host: string, port: number): Promise<FirestoreSide> {
    // The SDK logs every denied request as an error; denials are what half the matrix expects.
    setLogLevel('silent');
    const env = await initializeTestEnvironment({ projectId, firestore: { rules: fs.readFileSync(rulesPath, 'utf8'), host, port } });
    return new FirestoreSide(env, projectId);
  }

  async close(): Promise<void> {
    await this.env.cleanup();
  }

  /** Wipe the project and write every document of the stored fixture, each checked against its model schema. */
  async seed(stored: Fixture): Promise<Map<string, DocOut>> {
    await this.env.clearFirestore();
    this.docs = allDocs(stored);
    const problems: string[] = [];
    for (const d of this.docs.values()) {
      const res = d.collection.schema.safeParse(d.data);
      if (!res.success) problems.push(`${d.path}: ${res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    if (problems.length) throw new Error(`fixture documents that do not fit the model:\n${problems.join('\n')}`);
    await this.env.withSecurityRulesDisabled(async (ctx) => {
      const db = ctx.firestore() as unknown as Firestore;
      const all = [...this.docs.values()];
      for (let i = 0; i < all.length; i += 400) {
        const batch = writeBatch(db);
        for (const d of all.slice(i, i + 400)) batch.set(doc(db, d.path), d.data);
        await batch.commit();
      }
    });
    return this.docs;
  }

  /** Runs `fn` with the rules off (what the server or the migration would write). */
  async unchecked<T>(fn: (db: Firestore) => Promise<T>): Promise<T> {
    let out: { value: T } | undefined;
    await this.env.withSecurityRulesDisabled(async (ctx) => {
      out = { value: await fn(ctx.firestore() as unknown as Firestore) };
    });
    if (!out) throw new Error('withSecurityRulesDisabled did not run');
    return out.value;
  }

  /** A signed-in context with a token of our own making (a map `roles` claim, an anonymous sign-in…). */
  dbWithToken(uid: string, token: Record<string, unknown>): Firestore {
    return this.env.authenticatedContext(uid, token).firestore() as unknown as Firestore;
  }

  /** Writes as the server does (rules bypassed), for the Firebase-only cases the fixture has no row for. */
  async asServer(write: (db: Firestore) => Promise<void>): Promise<void> {
    await this.unchecked(write);
  }

  db(actor: ActorId): Firestore {
    let db = this.dbs.get(actor);
    if (!db) {
      const a = ACTORS[actor];
      const ctx =
        a.id === 'anon'
          ? this.env.unauthenticatedContext()
          : this.env.authenticatedContext(a.uid, { roles: a.roles, email: a.email, email_verified: a.emailVerified });
      db = ctx.firestore() as unknown as Firestore;
      this.dbs.set(actor, db);
    }
    return db;
  }

  /** Put the touched documents back as seeded (or remove them), bypassing the rules. */
  async restore(paths: readonly string[]): Promise<void> {
    await this.env.withSecurityRulesDisabled(async (ctx) => {
      const db = ctx.firestore() as unknown as Firestore;
      const batch = writeBatch(db);
      for (const p of paths) {
        const seeded = this.docs.get(p);
        if (seeded) batch.set(doc(db, p), seeded.data);
        else batch.delete(doc(db, p));
      }
      await batch.commit();
    });
  }

  private async write(db: Firestore, writes: readonly Write[]): Promise<void> {
    if (writes.length === 1) {
      const w = writes[0] as Write;
      if ('delete' in w) await deleteDoc(doc(db, w.path));
      else await setDoc(doc(db, w.path), w.data);
      return;
    }
    // One SQL statement, one atomic Firestore write.
    const batch = writeBatch(db);
    for (const w of writes) {
      if ('delete' in w) batch.delete(doc(db, w.path));
      else batch.set(doc(db, w.path), w.data);
    }
    await batch.commit();
  }

  /**
   * The Firestore writes that do what the SQL statement of a case does: the documents of the
   * changed row, rebuilt by the mapping. An update rewrites the row's documents in place (a changed
   * owner column becomes a changed field, never a move); a delete removes the row's document (the
   * split-off tokens of a social account are removed by the server, not by the client).
   */
  async writesFor(table: string, c: Case, actor: ActorId, stored: Fixture, sql: SqlSide): Promise<Write[]> {
    const me = ACTORS[actor];
    const m = mappingOf(table);
    if (c.op === 'create') {
      const values = resolveRow(c.values, me);
      const raw = resolveRow(c.raw ?? {}, me);
      const base = await sql.storedRow(table, values);
      const nowFields = Object.fromEntries(Object.entries(values).filter(([, v]) => v === NOW));
      const row: Row = { ...base, ...nowFields, ...raw };
      const ctx: Fixture = { ...stored, [table]: { ...stored[table], $new: row } };
      return docsOfRow(table, row, ctx, c.extraKeys ?? {}).map((d) => ({ path: d.path, data: d.data }));
    }
    if (c.op === 'update' || c.op === 'delete') {
      const row = stored[table]?.[c.row];
      if (!row) throw new Error(`${table} has no fixture row ${c.row}`);
      const before = docsOfRow(table, row, stored);
      if (c.op === 'delete') {
        if (!m.aggregate) return before.filter((d) => d.role === 'primary').map((d) => ({ path: d.path, delete: true as const }));
        const rest = Object.fromEntries(Object.entries(stored[table] ?? {}).filter(([k]) => k !== c.row));
        const after = docsOfRow(table, row, { ...stored, [table]: rest });
        return before.map((b) => {
          const a = after.find((x) => x.role === b.role);
          return a ? { path: b.path, data: a.data } : { path: b.path, delete: true as const };
        });
      }
      const merged: Row = { ...row, ...resolveRow(c.values, me) };
      // An aggregate document (users/{uid}) is rebuilt for the same user: a moved row leaves it.
      const forPath = m.aggregate ? { ...merged, user_id: row.user_id ?? null } : merged;
      const ctx: Fixture = { ...stored, [table]: { ...stored[table], [c.row]: merged } };
      const after = docsOfRow(table, forPath, ctx, c.extraKeys ?? {});
      const writes: Write[] = [];
      for (const role of new Set([...before.map((d) => d.role), ...after.map((d) => d.role)])) {
        const b = before.find((d) => d.role === role);
        const a = after.find((d) => d.role === role);
        if (b && a && fingerprint(b.data) !== fingerprint(a.data)) writes.push({ path: b.path, data: a.data });
        else if (b && !a) writes.push({ path: b.path, delete: true });
        else if (!b && a) writes.push({ path: a.path, data: a.data });
      }
      if (writes.length === 0) throw new Error(`${table} update "${c.name}" changes no Firestore document: the case does not test anything there`);
      return writes;
    }
    throw new Error(`no writes for ${c.op}`);
  }

  private buildQuery(db: Firestore, table: string, list: ResolvedList): Query {
    const spec = list.spec;
    const coll: AnyCollection = spec?.collection ?? mappingOf(table).collection;
    let q: Query = spec?.group ? collectionGroup(db, coll.groupId) : collection(db, coll.collectionPath(list.params as never));
    for (const w of list.where) q = query(q, where(w.field, w.op, fieldValue(coll, w.field, w.value)));
    for (const o of spec?.orderBy ?? []) q = query(q, orderBy(o.field, o.direction));
    return q;
  }

  async run(table: string, c: Case, actor: ActorId, stored: Fixture, sql: SqlSide, list?: ResolvedList): Promise<Outcome> {
    const db = this.db(actor);
    const attempt = async (fn: () => Promise<Outcome>): Promise<Outcome> => {
      try {
        return await fn();
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'permission-denied') return { allowed: false, detail: 'PERMISSION_DENIED' };
        throw new Error(`${table} ${c.op} "${c.name}" as ${actor}: unexpected Firestore error ${code ?? ''} ${(err as Error).message}`);
      }
    };
    switch (c.op) {
      case 'get': {
        const row = stored[table]?.[c.row];
        if (!row) throw new Error(`${table} has no fixture row ${c.row}`);
        const target = docsOfRow(table, row, stored).find((d) => d.role === (c.target ?? 'primary'));
        if (!target) throw new Error(`${table}.${c.row} has no ${c.target ?? 'primary'} document`);
        return attempt(async () => {
          const snap = await getDoc(doc(db, target.path));
          if (!snap.exists()) throw new Error(`${target.path} is not in the emulator`);
          return { allowed: true, detail: 'document read' };
        });
      }
      case 'list': {
        if (!list) throw new Error('list case without its resolved query');
        const keys = rowKeyByPath(table, stored);
        const pk = pkOf(table);
        return attempt(async () => {
          const snap = await getDocs(this.buildQuery(db, table, list));
          const rows = snap.docs
            .map((d) => {
              const key = keys.get(d.ref.path);
              if (!key) throw new Error(`query returned ${d.ref.path}, which is no ${table} row`);
              return asText(stored[table]?.[key]?.[pk]);
            })
            .sort();
          return { allowed: true, detail: `${rows.length} documents`, rows };
        });
      }
      default: {
        const writes = await this.writesFor(table, c, actor, stored, sql);
        try {
          return await attempt(async () => {
            await this.write(db, writes);
            return { allowed: true, detail: `${writes.length} document write(s)` };
          });
        } finally {
          await this.restore(writes.map((w) => w.path));
        }
      }
    }
  }

  /** The emulator's rules coverage report for this project (JSON). */
  async coverage(host: string): Promise<unknown> {
    const res = await fetch(`http://${host}/emulator/v1/projects/${this.projectId}:ruleCoverage`);
    if (!res.ok || !res.body) throw new Error(`ruleCoverage: ${res.status} ${await res.text()}`);
    return readCoverage(res.body);
  }
}
