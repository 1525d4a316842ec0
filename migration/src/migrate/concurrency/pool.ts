import { FirstFailure } from './first-failure.js';

/** Runs `worker` over the items with at most `limit` at a time; the first failure stops the rest and is thrown. */
export async function pool<T>(items: readonly T[], limit: number, worker: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const failure = new FirstFailure();
  const runners = Array.from({ length: Math.max(1, Math.min(limit, queue.length)) }, async () => {
    for (;;) {
      if (failure.failed) return;
      const next = queue.shift();
      if (next === undefined) return;
      try {
        await worker(next);
      } catch (err) {
        failure.record(err);
      }
    }
  });
  await Promise.all(runners);
  failure.rethrow();
}

/**
 * Like pool, but each item first waits until `ready` says it may start, without holding one of the
 * `limit` places meanwhile: items start as they become ready (cutover checks each table as soon as
 * the final sync is done with it) and, of those waiting for a place, the heaviest first — a large
 * table that becomes ready late does not queue behind every small one.
 */
export async function poolWhenReady<T>(
  items: readonly T[],
  limit: number,
  ready: (item: T) => Promise<void>,
  worker: (item: T) => Promise<void>,
  weight: (item: T) => number = () => 0,
): Promise<void> {
  const failure = new FirstFailure();
  let active = 0;
  const waiting: Array<{ weight: number; start: () => void }> = [];
  const acquire = async (item: T): Promise<void> => {
    if (active < Math.max(1, limit)) active++;
    else
      await new Promise<void>((start) => {
        const w = weight(item);
        // Stable: equal weights keep the order in which they became ready.
        const at = waiting.findIndex((x) => x.weight < w);
        waiting.splice(at < 0 ? waiting.length : at, 0, { weight: w, start });
      });
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next.start();
    else active--;
  };
  await Promise.all(
    items.map(async (item) => {
      try {
        await ready(item);
        if (failure.failed) return;
        await acquire(item);
        try {
          if (!failure.failed) await worker(item);
        } finally {
          release();
        }
      } catch (err) {
        failure.record(err);
      }
    }),
  );
  failure.rethrow();
}
