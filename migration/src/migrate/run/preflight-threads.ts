/**
 * The pre-flight's tasks run in this thread (`concurrency` at a time, interleaving their reads) and
 * in worker threads (preflight-worker.ts), all taking tasks from one queue, largest units first.
 */
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { mustGet } from '@zhengrowth/model';
import type { MigrationContext, Prepared } from '../context/index.js';
import { FirstFailure } from '../concurrency/first-failure.js';
import { UrlMap } from '../urls/url-map.js';
import { AUTH_TABLE } from '../plan/mapping.js';
import { runTask, type PreflightTask, type TaskResult } from './preflight.js';
import type { FromWorker, ToWorker, WorkerData } from './preflight-worker.js';
import type { Source } from '../sources/source.js';
import type { Unit } from '../units/index.js';

const WORKER_URL = new URL('./preflight-worker.js', import.meta.url);

/** Worker threads for the pre-flight: with a snapshot to share, enough rows, more than two cores, and the built code. */
export function preflightThreads(source: Source, rows: number, forced: number | undefined): number {
  if (!source.workerSpec || !import.meta.url.endsWith('.js') || !fs.existsSync(fileURLToPath(WORKER_URL))) return 0;
  if (forced !== undefined) return Math.max(0, Math.min(8, forced));
  if (rows < 20_000) return 0;
  // One thread already keeps two cores busy (V8's own GC and compiler threads, the database's
  // backend when it runs here), and a worker costs its startup and a heap of its own: measured on
  // two cores, the scale-1 pre-flight took 4.0 s alone and 4.7 s with a worker, and 30 MB more.
  return Math.max(0, Math.min(3, os.availableParallelism() - 2));
}

export async function runPreflightTasks(
  ctx: MigrationContext,
  units: readonly Unit[],
  tasks: PreflightTask[],
  rowsLeft: Map<string, number>,
  threads: number,
  prepared: Prepared,
  concurrency: number,
  onResult: (r: TaskResult) => void,
): Promise<void> {
  const byName = new Map(units.map((u) => [u.name, u]));
  const left = new Map<string, number>();
  for (const t of tasks) left.set(t.unit, (left.get(t.unit) ?? 0) + 1);
  const bars = new Map(units.map((u) => [u.name, ctx.progress.task('pre-flight', u.name, rowsLeft.get(u.name) ?? 0)]));
  const done = (t: PreflightTask, r: TaskResult): void => {
    onResult(r);
    const n = (left.get(t.unit) ?? 1) - 1;
    left.set(t.unit, n);
    if (n === 0) bars.get(t.unit)?.finish();
  };
  const queue = [...tasks];
  const take = (workerSide: boolean): PreflightTask | undefined => {
    const i = workerSide ? queue.findIndex((t) => t.unit !== AUTH_TABLE) : 0;
    return i < 0 ? undefined : queue.splice(i, 1)[0];
  };
  const failure = new FirstFailure();
  const t0 = Date.now();
  const debug = ctx.tuning.debug ? (line: string) => ctx.log(`[debug ${((Date.now() - t0) / 1000).toFixed(2)}] ${line}`) : () => undefined;

  const local = async (): Promise<void> => {
    for (let t = take(false); t && !failure.failed; t = take(false)) {
      const unit = mustGet(byName, t.unit, 'unit');
      debug(`main: ${t.unit} #${t.id}`);
      done(t, await runTask(unit, t, (n) => bars.get(t?.unit ?? '')?.add(n)));
    }
    debug('main: done');
  };

  const spec = prepared.unitContext.source.workerSpec?.();
  const remote = async (): Promise<void> => {
    if (!spec) return;
    const urls = prepared.unitContext.transform.urls;
    const data: WorkerData = { url: spec.url, snapshot: spec.snapshot, users: prepared.users.toData(), urls: urls instanceof UrlMap ? urls.toData() : [] };
    // A heap of its own, bounded like the main thread's (bin/zg-migrate.js).
    const worker = new Worker(WORKER_URL, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 12 } });
    let current: PreflightTask | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        const next = (): void => {
          current = failure.failed ? undefined : take(true);
          if (!current) {
            worker.postMessage({ type: 'close' } satisfies ToWorker);
            resolve();
            return;
          }
          worker.postMessage({ type: 'task', task: current } satisfies ToWorker);
        };
        worker.on('message', (msg: FromWorker) => {
          if (msg.type === 'ready') debug('worker: ready');
          if (msg.type === 'result') debug(`worker: ${current?.unit ?? ''} #${current?.id ?? ''} done`);
          if (msg.type === 'ready') next();
          else if (msg.type === 'rows') bars.get(current?.unit ?? '')?.add(msg.rows);
          else if (msg.type === 'result') {
            if (current) done(current, msg.result);
            next();
          } else reject(new Error(`pre-flight worker: ${msg.message}`));
        });
        worker.on('error', reject);
        worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pre-flight worker exited with ${code}`))));
      });
    } finally {
      // A task the worker did not finish goes back to the queue only on failure, which ends the run anyway.
      await worker.terminate().catch(() => undefined);
    }
  };

  // With worker threads, this thread takes fewer tasks at once (its work is CPU, not waiting).
  const localRunners = threads > 0 ? Math.min(2, Math.max(1, concurrency)) : Math.max(1, concurrency);
  const runners = [...Array.from({ length: localRunners }, local), ...Array.from({ length: threads }, remote)];
  await Promise.all(
    runners.map((r) =>
      r.catch((err: unknown) => {
        failure.record(err);
      }),
    ),
  );
  failure.rethrow();
}
