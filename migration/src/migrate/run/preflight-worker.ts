/**
 * A pre-flight worker thread (see preflight.ts): opens the postgres source at the main thread's
 * exported snapshot, rebuilds the user set from plain data, and runs the tasks it is sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SourceTable } from '../sources/catalog.js';
import { loadIndexConfig } from '../transform/limits.js';
import { AUTH_TABLE, SOURCE_TABLES, USERS_UNIT } from '../plan/mapping.js';
import { runTask, type PreflightTask } from './preflight.js';
import { openPostgresSource } from '../sources/postgres.js';
import { tableUnit, usersUnit, type Unit, type UnitContext } from '../units/index.js';
import { UserSet, type UserSetData } from '../units/users.js';
import { UrlMap } from '../urls/url-map.js';

export interface WorkerData {
  url: string;
  snapshot: string;
  users: UserSetData;
  /** Where copied files went (files/url-map.ts). */
  urls: Array<[string, string]>;
}

export type ToWorker = { type: 'task'; task: PreflightTask } | { type: 'close' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'rows'; id: number; rows: number }
  | { type: 'result'; result: Awaited<ReturnType<typeof runTask>> }
  | { type: 'error'; id: number | null; message: string };

const port = parentPort;
if (!port) throw new Error('preflight-worker.ts runs as a worker thread');
const data = workerData as WorkerData;

try {
  const source = await openPostgresSource(data.url, { readers: 2, snapshot: data.snapshot });
  const catalog: Map<string, SourceTable> = await source.catalog([...SOURCE_TABLES, AUTH_TABLE]);
  const users = UserSet.fromData(data.users);
  const ctx: UnitContext = { source, catalog, users, transform: { users, indexes: loadIndexConfig(), urls: UrlMap.fromData(data.urls) } };
  const units = new Map<string, Unit>();
  const unitOf = (name: string): Unit => {
    let u = units.get(name);
    if (!u) {
      u = name === USERS_UNIT ? usersUnit(ctx, false) : tableUnit(ctx, name);
      units.set(name, u);
    }
    return u;
  };
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'close') {
      void source.close().finally(() => port.close());
      return;
    }
    const { task } = msg;
    runTask(unitOf(task.unit), task, (rows) => port.postMessage({ type: 'rows', id: task.id, rows } satisfies FromWorker))
      .then((result) => port.postMessage({ type: 'result', result } satisfies FromWorker))
      .catch((err: unknown) =>
        port.postMessage({ type: 'error', id: task.id, message: err instanceof Error ? err.message : String(err) } satisfies FromWorker),
      );
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
} catch (err) {
  port.postMessage({ type: 'error', id: null, message: err instanceof Error ? err.message : String(err) } satisfies FromWorker);
}
