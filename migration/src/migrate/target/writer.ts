/**
 * Writes documents the fastest safe way measured here: commits of up to 500 documents (and well
 * under the 4 MiB request limit), a few in flight across all tables, retried with backoff on
 * transient errors. The documents arrive encoded (wire.ts) and go out through the commit channel
 * (commit-channel.ts) as they are. Each unit's rows are committed in batches; when every batch up to a
 * row has committed, the unit's checkpoint moves to that row's key. A batch is atomic, so a key is
 * never checkpointed before its documents (and its reject record) are in Firestore.
 */
import type { CommitChannel } from './commit-channel.js';
import type { Governor } from './governor.js';
import { FirstFailure } from '../concurrency/first-failure.js';
import { withRetries, WriteFailedError } from './retries.js';

/** One source row (or one user) ready to write: its documents, encoded, and what it counts as. */
export interface WriteItem {
  key: string;
  /** set() writes as WriteEncoder encodes them (any number of documents per buffer). */
  writes: Buffer[];
  /** Documents in `writes`. */
  docs: number;
  /** Per source table: rows written and rejected by this item. */
  counts: Array<{ table: string; written: number; rejected: number }>;
}

export type Counts = Record<string, { written: number; rejected: number }>;

export interface WriterOptions {
  maxInFlight: number;
  maxBatchDocs: number;
  maxBatchBytes: number;
  governor: Governor;
  /** Attempts per commit before the run stops. */
  maxAttempts?: number;
  /** Called after every successful commit (tests: kill after N commits). */
  onCommit?: () => void;
  /** Called before every commit; throwing stops the writer (a lost lease). */
  beforeCommit?: () => void;
  /** Called with a line when a commit is retried. */
  log?: (line: string) => void;
}

/** Shared by all units: limits the commits in flight and applies the governor. */
export class Committer {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  committed = 0;
  documents = 0;

  constructor(
    private readonly channel: CommitChannel,
    readonly options: WriterOptions,
  ) {}

  /** Resolves when a commit slot is free (and takes it). */
  async slot(): Promise<void> {
    if (this.inFlight < this.options.maxInFlight) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Gives back a slot taken with slot() without committing. */
  releaseSlot(): void {
    this.release();
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }

  /** Commits the writes as one batch (the caller holds a slot; it is released here). */
  async commit(writes: readonly Buffer[], docs: number, what: string): Promise<void> {
    try {
      this.options.beforeCommit?.();
      await this.options.governor.acquire(docs);
      await withRetries(what, () => this.channel.commit(writes), this.options.governor, this.options.maxAttempts, this.options.log).catch((err: unknown) => {
        if (err instanceof WriteFailedError || typeof (err as { code?: unknown }).code !== 'number') throw err;
        // Refused for good (the pre-flight checks what Firestore checks, so this is unexpected): say which table.
        throw new WriteFailedError(`${what}: Firestore refused it: ${(err as Error).message}`);
      });
      this.committed++;
      this.documents += docs;
      this.options.onCommit?.();
    } finally {
      this.release();
    }
  }
}

interface PendingBatch {
  seq: number;
  lastKey: string;
  counts: Counts;
  items: number;
  done: boolean;
}

function addCounts(into: Counts, from: Counts): void {
  for (const [table, c] of Object.entries(from)) {
    const t = (into[table] ??= { written: 0, rejected: 0 });
    t.written += c.written;
    t.rejected += c.rejected;
  }
}

/**
 * The rows of one unit, in key order. `push` returns once the row is queued (waiting while every
 * commit slot is busy, which bounds memory); `finish` waits for the last commit. `onCheckpoint` is
 * called (one call at a time, the latest state winning) with the key up to which every row is done.
 */
export class UnitWriter {
  private writes: Buffer[] = [];
  private docs = 0;
  private bytes = 0;
  private items = 0;
  private lastKey: string | null = null;
  private counts: Counts = {};
  private seq = 0;
  private readonly pending: PendingBatch[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly failure = new FirstFailure();
  private checkpointing: Promise<void> | null = null;
  private checkpointDirty = false;
  private checkpointTimer: NodeJS.Timeout | null = null;
  private lastCheckpoint = 0;
  /** Rows done (committed) so far, including the resumed ones counted in `base`. */
  readonly done: Counts;
  doneKey: string | null;
  rowsDone = 0;

  constructor(
    private readonly committer: Committer,
    private readonly unit: string,
    base: { key: string | null; counts: Counts },
    private readonly onCheckpoint: (key: string | null, counts: Counts) => Promise<void>,
    private readonly onRows?: (rows: number) => void,
    private readonly checkpointEveryMs = 1000,
  ) {
    this.done = structuredClone(base.counts);
    this.doneKey = base.key;
  }

  async push(item: WriteItem): Promise<void> {
    this.failure.rethrow();
    const o = this.committer.options;
    let bytes = 0;
    for (const w of item.writes) bytes += w.length;
    if (this.docs > 0 && (this.docs + item.docs > o.maxBatchDocs || this.bytes + bytes > o.maxBatchBytes)) {
      await this.dispatch();
    }
    for (const w of item.writes) this.writes.push(w);
    this.docs += item.docs;
    this.bytes += bytes;
    this.items++;
    this.lastKey = item.key;
    for (const c of item.counts) addCounts(this.counts, { [c.table]: { written: c.written, rejected: c.rejected } });
  }

  private async dispatch(): Promise<void> {
    if (this.items === 0 || this.lastKey === null) return;
    const batch: PendingBatch = { seq: this.seq++, lastKey: this.lastKey, counts: this.counts, items: this.items, done: false };
    const writes = this.writes;
    const docs = this.docs;
    this.writes = [];
    this.docs = 0;
    this.bytes = 0;
    this.items = 0;
    this.counts = {};
    this.pending.push(batch);
    await this.committer.slot();
    if (this.failure.failed) {
      // Nothing more is sent after a failure.
      this.committer.releaseSlot();
      this.failure.rethrow();
    }
    let commit: Promise<void>;
    if (docs === 0) {
      this.committer.releaseSlot();
      commit = Promise.resolve();
    } else commit = this.committer.commit(writes, docs, `${this.unit}: commit of ${docs} documents`);
    const p: Promise<void> = commit
      .then(() => {
        batch.done = true;
        this.advance();
      })
      .catch((err: unknown) => {
        this.failure.record(err);
      })
      .finally(() => {
        this.running.delete(p);
      });
    this.running.add(p);
  }

  private advance(): void {
    let moved = false;
    while (this.pending.length > 0 && this.pending[0]?.done) {
      const b = this.pending.shift() as PendingBatch;
      addCounts(this.done, b.counts);
      this.doneKey = b.lastKey;
      this.rowsDone += b.items;
      this.onRows?.(b.items);
      moved = true;
    }
    if (moved) this.scheduleCheckpoint();
  }

  /**
   * Saves the checkpoint at most once per `checkpointEveryMs` (a kill loses at most that much work
   * to redo, and the emulator or Firestore is not asked for a write per batch); `finish` saves the last.
   */
  private scheduleCheckpoint(force = false): void {
    this.checkpointDirty = true;
    if (this.checkpointing) return;
    const wait = force ? 0 : this.lastCheckpoint + this.checkpointEveryMs - Date.now();
    if (wait > 0) {
      this.checkpointTimer ??= setTimeout(() => {
        this.checkpointTimer = null;
        if (this.checkpointDirty) this.scheduleCheckpoint(true);
      }, wait);
      return;
    }
    this.checkpointing = (async () => {
      while (this.checkpointDirty && !this.failure.failed) {
        this.checkpointDirty = false;
        this.lastCheckpoint = Date.now();
        try {
          await this.onCheckpoint(this.doneKey, structuredClone(this.done));
        } catch (err) {
          this.failure.record(err);
        }
      }
      this.checkpointing = null;
    })();
  }

  /** Commits what is left and waits for every commit and the last checkpoint. */
  async finish(): Promise<void> {
    if (!this.failure.failed) await this.dispatch().catch((err: unknown) => this.failure.record(err));
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    if (this.checkpointTimer) {
      clearTimeout(this.checkpointTimer);
      this.checkpointTimer = null;
    }
    await this.checkpointsSettled();
    if (this.checkpointDirty) this.scheduleCheckpoint(true);
    await this.checkpointsSettled();
    this.failure.rethrow();
  }

  private async checkpointsSettled(): Promise<void> {
    while (this.checkpointing) await this.checkpointing;
  }
}
