/**
 * The changes of a replication slot, read with the SQL interface of logical decoding: peeked in
 * chunks (up to the WAL position the sync started at, so a busy source does not keep one sync going
 * forever), applied, and only then confirmed with pg_replication_slot_advance — a sync killed
 * between the two reads the same changes again next time, and applying them again changes nothing.
 */
import pg from 'pg';
import { ChangeSet } from './changes.js';
import { formatLsn, PgOutputDecoder, type StreamTable } from './pgoutput.js';

/** How long a sync waits for the source to flush the WAL it has written (its WAL writer does it within 3 × 200 ms by default). */
const FLUSH_WAIT_MS = 10_000;

export interface SlotState {
  slot: string;
  active: boolean;
  /** Bytes of WAL written since the slot's confirmed position (what a sync would read). */
  behindBytes: number;
  /** Bytes of WAL the slot keeps on the server's disk. */
  retainedBytes: number;
  walStatus: string | null;
  confirmed: string | null;
}

export async function slotState(client: pg.ClientBase, slot: string): Promise<SlotState | null> {
  const res = await client.query<{ active: boolean; behind: string | null; retained: string | null; wal_status: string | null; confirmed: string | null }>(
    `SELECT active, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint::text AS behind,
            pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint::text AS retained, wal_status, confirmed_flush_lsn::text AS confirmed
       FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
  );
  const r = res.rows[0];
  if (!r) return null;
  return {
    slot,
    active: r.active,
    behindBytes: Number(r.behind ?? 0),
    retainedBytes: Number(r.retained ?? 0),
    walStatus: r.wal_status,
    confirmed: r.confirmed,
  };
}

/** A chunk of the slot's changes, decoded. */
export interface Peeked {
  changes: ChangeSet;
  /** Where the chunk's last transaction ends (null: no transaction). */
  end: string | null;
  lastCommitAt: Date | null;
  /** The chunk reaches `upto`: it is the last. */
  complete: boolean;
}

const keyOnly = (t: StreamTable | undefined): StreamTable | undefined => t && { key: t.key, columns: null };

export class SlotFeed {
  private readonly client: pg.Client;
  private rowsInUtf8 = false;
  /** The source may be asked to flush its WAL (flushNow). */
  private mayFlush = false;

  constructor(
    url: string,
    private readonly slot: string,
    private readonly publication: string,
    private readonly tableOf: (table: string) => StreamTable | undefined,
  ) {
    this.client = new pg.Client({ connectionString: url, application_name: 'zg-migrate sync' });
    this.client.on('error', () => undefined);
  }

  async open(): Promise<void> {
    await this.client.connect();
    // One round trip. The decoding runs in this session: values are written in its settings, the
    // same as the reads' (stream-text.ts).
    const results = (await this.client.query(
      "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 3; " +
        "SELECT current_setting('server_encoding') AS e, current_setting('server_version_num')::int AS v",
    )) as unknown as Array<pg.QueryResult<{ e: string; v: number }>>;
    const server = results[results.length - 1]?.rows[0];
    // The stream carries text in the database's encoding, not the client's: rows are taken from it in UTF-8 only.
    this.rowsInUtf8 = server?.e === 'UTF8';
    this.mayFlush = (server?.v ?? 0) >= 150_000;
    const state = await slotState(this.client, this.slot);
    if (!state)
      throw new Error(
        `the replication slot ${this.slot} does not exist on the source (dropped by \`zg-migrate finish\`, or by hand?): start over with a new run`,
      );
    if (state.walStatus === 'lost') throw new Error(`the replication slot ${this.slot} lost WAL it needed (max_slot_wal_keep_size): start over with a new run`);
  }

  /**
   * Where the source stands now: the WAL *insert* position, the source's snapshot taken just before
   * it (every transaction it sees committed before that position) and its clock. Everything
   * committed before this call is decodable once the server has flushed past the position (flushed()).
   */
  async position(): Promise<{ snapshot: string; lsn: string; at: Date }> {
    // One statement: its snapshot is taken before the functions run, so it sees nothing after the position.
    const res = await this.client.query<{ s: string; lsn: string; at: Date }>(
      'SELECT pg_current_snapshot()::text AS s, pg_current_wal_insert_lsn()::text AS lsn, clock_timestamp() AS at',
    );
    const r = res.rows[0];
    if (!r) throw new Error('the source did not say where its WAL stands');
    return { snapshot: r.s, lsn: r.lsn, at: r.at };
  }

  /**
   * Waits until the source has flushed its WAL past `target`. Logical decoding reads flushed WAL
   * only, and a transaction committed with synchronous_commit=off is written and flushed by the WAL
   * writer a moment later (within 3 × wal_writer_delay; a sync under a busy writer waited 0.15–0.3 s
   * for it). So the flush is asked for first (flushNow); where that is refused, the WAL writer is
   * waited for. Should the flush lag past FLUSH_WAIT_MS, the position flushed so far is returned:
   * the rest waits for the next sync, nothing is lost.
   */
  async flushed(target: string): Promise<string> {
    await this.flushNow();
    const deadline = Date.now() + FLUSH_WAIT_MS;
    for (;;) {
      const res = await this.client.query<{ flushed: string; done: boolean }>(
        'SELECT pg_current_wal_flush_lsn()::text AS flushed, pg_current_wal_flush_lsn() >= $1::pg_lsn AS done',
        [target],
      );
      const r = res.rows[0];
      if (!r || r.done) return target;
      if (Date.now() >= deadline) return r.flushed;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /**
   * Has the source flush its WAL now: a commit flushes the WAL up to its own record, but only a
   * transaction that wrote some, so this one writes a logical decoding message — no table touched,
   * allowed in a read-only transaction, and not in the stream (pgoutput sends no messages unless
   * asked, and from PostgreSQL 15 no transaction without changes; before 15 a sync does not ask).
   * `local`: a synchronous standby is not waited for. Refused (a revoked function), it is not asked again.
   */
  private async flushNow(): Promise<void> {
    if (!this.mayFlush) return;
    try {
      await this.client.query(`BEGIN; SET LOCAL synchronous_commit = local; SELECT pg_logical_emit_message(true, 'zg-migrate', 'flush'); COMMIT`);
    } catch {
      this.mayFlush = false;
      await this.client.query('ROLLBACK').catch(() => undefined);
    }
  }

  /** Where the WAL is now, once flushed: this sync reads changes committed before it. */
  async currentLsn(): Promise<string> {
    return this.flushed((await this.position()).lsn);
  }

  /**
   * The next changes (transactions committed before `upto`, about `maxChanges` messages), where
   * they end, when the last of them committed, and whether they reach `upto` (the last chunk).
   */
  async next(upto: string, maxChanges: number): Promise<Peeked> {
    return this.decode(await this.peek(upto, maxChanges), maxChanges);
  }

  /** The messages of the next changes, not yet decoded (a sync fetches its first chunk while it prepares). */
  async peek(upto: string, maxChanges: number): Promise<Buffer[]> {
    const res = await this.client.query<{ data: Buffer }>(
      `SELECT data FROM pg_logical_slot_peek_binary_changes($1, $2::pg_lsn, $3, 'proto_version', '1', 'publication_names', $4)`,
      [this.slot, upto, maxChanges, this.publication],
    );
    return res.rows.map((r) => r.data);
  }

  /** Decodes what peek() returned (the tables' keys and columns are known by then). */
  decode(messages: readonly Buffer[], maxChanges: number): Peeked {
    const changes = new ChangeSet();
    const decoder = new PgOutputDecoder(this.rowsInUtf8 ? this.tableOf : (t) => keyOnly(this.tableOf(t)));
    for (const data of messages) decoder.decode(data, changes);
    return {
      changes,
      end: decoder.lastCommitEnd === null ? null : formatLsn(decoder.lastCommitEnd),
      lastCommitAt: decoder.lastCommitAt,
      // PostgreSQL stops after the transaction that reaches maxChanges messages: fewer means upto was reached.
      complete: messages.length < maxChanges,
    };
  }

  /** Confirms everything up to `lsn` as applied: the slot forgets it, and the server may recycle its WAL. */
  async advance(lsn: string): Promise<void> {
    await this.client.query('SELECT pg_replication_slot_advance($1, $2::pg_lsn)', [this.slot, lsn]);
  }

  async state(): Promise<SlotState | null> {
    return slotState(this.client, this.slot);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
