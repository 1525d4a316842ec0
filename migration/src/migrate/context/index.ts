/**
 * The one context every command that reads rows or writes the project works in — run, verify,
 * replay, sync, files, cutover: the source, the target project (Firestore through firebase-admin
 * and the commit channel, Firebase Auth), the migration's state, output and progress, and the
 * tuning read once from the CLI's environment. `prepare` then reads what the transform needs (the
 * catalog, the user set with its uid map, where copied files went) the same way for all of them.
 */
import type { Auth } from 'firebase-admin/auth';
import type { Firestore } from 'firebase-admin/firestore';
import type { SourceTable } from '../sources/catalog.js';
import type { CommitChannel } from '../target/commit-channel.js';
import type { Lease } from '../state/lease.js';
import { loadUrlMap } from '../urls/url-map.js';
import { loadIndexConfig } from '../transform/limits.js';
import { AUTH_TABLE, SOURCE_TABLES, USERS_UNIT } from '../plan/mapping.js';
import type { Progress } from './progress.js';
import type { Source } from '../sources/source.js';
import type { MigrationState } from '../state/index.js';
import { authUnit, tableUnit, usersUnit, type Unit, type UnitContext } from '../units/index.js';
import { loadUserSet, type UidMapMode, type UserSet } from '../units/users.js';

export type MigrationEvent = 'started' | 'commit' | 'checkpoint' | 'auth' | 'file';

/** Knobs with defaults. The CLI reads them from its environment once (commands/tuning.ts); nothing below reads process.env. */
export interface Tuning {
  /** Commits in flight across all tables. */
  inFlight: number;
  /** Pre-flight worker threads (`--preflight-first` with the postgres source); undefined: from the cores. */
  preflightThreads?: number;
  /** Rows per key range a pre-flight thread takes. */
  preflightChunk: number;
  /** Timing lines of the pre-flight's threads on stderr. */
  debug: boolean;
  /** A lease without a heartbeat for this long may be taken over. */
  leaseTtlMs: number;
}

export const DEFAULT_TUNING: Tuning = { inFlight: 4, preflightChunk: 10_000, debug: false, leaseTtlMs: 30_000 };

export interface MigrationContext {
  source: Source;
  db: Firestore;
  /** The write pass's path to the same database (commit-channel.ts). */
  commits: CommitChannel;
  auth: Auth;
  projectId: string;
  emulator: boolean;
  state: MigrationState;
  progress: Progress;
  /** Summary lines (stdout). A function property: it is handed on alone. */
  out: (line: string) => void;
  /** Notes and warnings (stderr, above the progress bars). */
  log: (line: string) => void;
  /** Test hook: called after every commit, checkpoint and Auth batch, and once the run record is saved. */
  onEvent?: (event: MigrationEvent) => void;
  tuning: Tuning;
  /** The command's lease (lease.ts), checked before every commit: a command that lost it stops. */
  lease?: Lease;
}

/** What the transform needs, read from the source and the project. */
export interface Prepared {
  catalog: Map<string, SourceTable>;
  users: UserSet;
  unitContext: UnitContext;
  /** The unit of a name (a table, `users`, `auth.users`), built once. */
  unit(name: string): Unit;
}

/** The tables every command reads: the 45 of the schema, and auth.users where the source can read it. */
export function sourceTables(source: Source): string[] {
  const tables: string[] = [...SOURCE_TABLES];
  if (source.canReadAuthUsers) tables.push(AUTH_TABLE);
  return tables;
}

export async function prepare(ctx: MigrationContext, options: { uidMap: UidMapMode; now?: Date }): Promise<Prepared> {
  const { source } = ctx;
  const tables = sourceTables(source);
  // The URL map is Firestore's, independent of the source's reads: read meanwhile.
  const urlMap = loadUrlMap(ctx.db);
  urlMap.catch(() => undefined);
  const catalog = await source.catalog(tables);
  const missing = tables.filter((t) => !catalog.has(t));
  if (missing.length) throw new Error(`the source lacks table(s) ${missing.join(', ')}: is it the ZhenGrowth Supabase database?`);
  const users = await loadUserSet(source, catalog, { uidMap: options.uidMap, auth: ctx.auth, log: ctx.log });
  const urls = await urlMap;
  const unitContext: UnitContext = { source, catalog, users, transform: { users, indexes: loadIndexConfig(), urls } };
  const now = options.now ?? new Date();
  const built = new Map<string, Unit>();
  const unit = (name: string): Unit => {
    let u = built.get(name);
    if (!u) {
      u =
        name === AUTH_TABLE
          ? authUnit(unitContext, now)
          : name === USERS_UNIT
            ? usersUnit(unitContext, !source.canReadAuthUsers)
            : tableUnit(unitContext, name);
      built.set(name, u);
    }
    return u;
  };
  return { catalog, users, unitContext, unit };
}
