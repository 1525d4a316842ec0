/**
 * The write pass: every unit's items committed in batches (writer.ts), the unit's checkpoint moved
 * as batches commit; the Auth unit imported page by page (auth-pass.ts). Where the items come from
 * is the caller's choice: checked as they are produced (stream-items.ts, the default), or from the
 * spill of a pre-flight phase that ended before the first write (`--preflight-first`).
 */
import type { MigrationContext } from '../context/index.js';
import { AUTH_TABLE } from '../plan/mapping.js';
import { pool } from '../concurrency/pool.js';
import type { ReadyItem } from './spill.js';
import type { Unit } from '../units/index.js';
import { WriteEncoder } from '../codecs/wire.js';
import { UnitWriter, type Committer, type Counts } from '../target/writer.js';
import { importAuthPage } from './auth-pass.js';
import type { Work } from './work.js';

export interface WriteOutcome {
  durations: Map<string, number>;
  counts: Map<string, Counts>;
}

export async function writeUnits(
  ctx: MigrationContext,
  runId: string,
  work: Work,
  committer: Committer,
  concurrency: number,
  itemsOf: (u: Unit, after: string | null) => AsyncIterable<ReadyItem[]>,
  outcome: WriteOutcome,
): Promise<void> {
  const { state } = ctx;
  const rejectEncoder = new WriteEncoder(ctx.commits.database);
  await pool(work.bySize, concurrency, async (u) => {
    const from = work.startOf(u);
    if (from.done) {
      outcome.counts.set(u.name, from.counts);
      return;
    }
    const t0 = Date.now();
    const task = ctx.progress.task('write', u.name, await work.remaining(u, from.key));
    const checkpoint = async (key: string | null, counts: Counts, done = false): Promise<void> => {
      await state.saveCheckpoint(u.name, { run_id: runId, tables: u.tables, last_key: key, done, counts });
      ctx.onEvent?.('checkpoint');
    };
    if (u.name === AUTH_TABLE) {
      const counts = structuredClone(from.counts);
      let key = from.key;
      for await (const page of u.items(from.key)) {
        await importAuthPage(ctx, runId, page, counts);
        key = page[page.length - 1]?.key ?? key;
        await checkpoint(key, counts);
        ctx.onEvent?.('auth');
        task.add(page.length);
      }
      await checkpoint(key, counts, true);
      outcome.counts.set(u.name, counts);
    } else {
      const writer = new UnitWriter(
        committer,
        u.name,
        { key: from.key, counts: from.counts },
        (key, counts) => checkpoint(key, counts),
        (n) => task.add(n),
      );
      for await (const page of itemsOf(u, from.key)) {
        for (const item of page) {
          const writes = [item.writes];
          // A rejected row's record goes in the same batch as its neighbours (see writer.ts).
          for (const r of item.rejects) {
            const w = state.rejectWrite({ table: r.table, key: r.key, reason: r.reason, row: r.row, runId });
            writes.push(rejectEncoder.encode(w.path, w.data));
          }
          await writer.push({ key: item.key, writes, docs: item.docs + item.rejects.length, counts: item.counts });
        }
      }
      await writer.finish();
      await checkpoint(writer.doneKey, writer.done, true);
      outcome.counts.set(u.name, writer.done);
    }
    task.finish();
    outcome.durations.set(u.name, Date.now() - t0);
  });
}
