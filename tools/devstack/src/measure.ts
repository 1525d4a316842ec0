/**
 * Helpers the benchmarks and the end-to-end tests share: a bounded number of calls in flight, and
 * the order statistics they print. Production code keeps its own pool (migration/src/migrate/pool.ts),
 * which stops taking items at the first failure. Here a failure rejects the result at once while
 * the other lanes go on to the end: callers that count failures catch them inside `work`.
 */

/** `work` over every item, at most `width` at a time; the results in the items' order. */
export async function inFlight<T, R>(width: number, items: readonly T[], work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, width) }, lane));
  return out;
}

/** The p-th percentile (nearest rank) of values sorted in ascending order; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** The median (the upper one of an even count); NaN when there are no values. */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
}
