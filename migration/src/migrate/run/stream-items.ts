/**
 * The default source of the write pass: each page of a unit transformed and checked as it is read,
 * its documents encoded once, and handed to the writer at once — so the rows are checked while the
 * earlier ones are being written instead of in a phase before the first write. Every document
 * written is still one that passed every check (a row that fails one is a reject, in the same
 * batch as its neighbours); the figures the pre-flight prints are gathered on the way.
 */
import { observe, type PreflightStats } from './preflight.js';
import type { ReadyItem } from './spill.js';
import type { Unit } from '../units/index.js';
import { WriteEncoder } from '../codecs/wire.js';

export function streamedItems(database: string, stats: Map<string, PreflightStats>): (u: Unit, after: string | null) => AsyncIterable<ReadyItem[]> {
  return (u, after) => ({
    async *[Symbol.asyncIterator]() {
      const encoder = new WriteEncoder(database);
      for await (const page of u.items(after)) {
        const ready: ReadyItem[] = [];
        for (const item of page) {
          observe(stats, item);
          ready.push({ key: item.key, writes: encoder.encodeMany(item.docs), docs: item.docs.length, rejects: item.rejects, counts: item.counts });
        }
        yield ready;
      }
    },
  });
}
