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
 * `limit` places meanwhile: items start in the order they become ready (cutover checks each table
 * as soon as the final sync is done with it).
 */
export async function poolWhenReady<T>(
  items: readonly T[],
  limit: number,
  ready: (item: T) => Promise<void>,
  worker: (item: T) => Promise<void>,
): Promise<void> {
  const failure = new FirstFailure();
  let active = 0;
  const waiting: Array<() => void> = [];
  const acquire = async (): Promise<void> => {
    if (active < Math.max(1, limit)) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  await Promise.all(
    items.map(async (item) => {
      try {
        await ready(item);
        if (failure.failed) return;
        await acquire();
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
