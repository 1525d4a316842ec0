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
