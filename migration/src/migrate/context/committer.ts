/**
 * The one commit channel of a command's writes (a run's write pass, a sync's changes): commits of up
 * to 500 documents and 2.5 MB, a few in flight, through the governor, the lease checked before each.
 */
import type { Governor } from '../target/governor.js';
import { Committer } from '../target/writer.js';
import type { MigrationContext } from './index.js';

const MAX_BATCH_DOCS = 500;
/** Request bytes per batch (exact: the writes are encoded): the emulator refuses requests over 4 MiB; stay well under. */
const MAX_BATCH_BYTES = 2.5 * 1024 * 1024;

export function makeCommitter(ctx: MigrationContext, governor: Governor): Committer {
  return new Committer(ctx.commits, {
    maxInFlight: ctx.tuning.inFlight,
    maxBatchDocs: MAX_BATCH_DOCS,
    maxBatchBytes: MAX_BATCH_BYTES,
    governor,
    onCommit: () => ctx.onEvent?.('commit'),
    beforeCommit: () => ctx.lease?.check(),
    log: (line) => ctx.progress.log(line),
  });
}
