/**
 * pgoutput's binary messages (protocol version 1, PostgreSQL's "Logical Replication Message
 * Formats"): Begin, Commit, Relation, Insert, Update, Delete, Truncate, Type and Origin. The decoder
 * keeps the relations it has seen (each decoding call sends them again before their first change)
 * and turns row changes into a ChangeSet: the table, the primary key, the old row when the table's
 * replica identity is FULL, and the new row of the tables whose rows are applied from the stream.
 */
import type { SourceColumn, SourceRow } from '../sources/catalog.js';
import type { ChangeSet } from './changes.js';
import { streamText, type TextFix } from './stream-text.js';

const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);

interface Relation {
  table: string;
  columns: string[];
  /** The primary key's column index (-1: a table we ignore). */
  keyIndex: number;
  /** Per column, how its text becomes the `::text` a read gives (null: new rows are not decoded, only their keys). */
  fixes: TextFix[] | null;
}

/** A table whose changes are wanted: its primary key, and its columns when its new rows are applied from the stream. */
export interface StreamTable {
  key: string;
  columns: readonly SourceColumn[] | null;
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  byte(): number {
    return this.buf.readUInt8(this.pos++);
  }
  int16(): number {
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32(): number {
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  uint32(): number {
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  int64(): bigint {
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  string(): string {
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) throw new Error('pgoutput: unterminated string');
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return s;
  }
  bytes(n: number): Buffer {
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
}

/** An LSN as PostgreSQL prints it (`16/B374D848`). */
export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** A tuple's values: text, null, or undefined for an unchanged TOASTed value the message left out. */
function tuple(r: Reader): Array<string | null | undefined> {
  const n = r.int16();
  const out: Array<string | null | undefined> = [];
  for (let i = 0; i < n; i++) {
    const kind = String.fromCharCode(r.byte());
    if (kind === 'n') out.push(null);
    else if (kind === 'u') out.push(undefined);
    else if (kind === 't' || kind === 'b') out.push(r.bytes(r.int32()).toString('utf8'));
    else throw new Error(`pgoutput: unknown tuple value kind ${kind}`);
  }
  return out;
}

/**
 * Only the value at `keyIndex` of a tuple (the rest skipped, not decoded): a new row's values are
 * read again from the source when the change is applied, so only its key is needed here.
 */
function keyOfTuple(r: Reader, keyIndex: number): string | null | undefined {
  const n = r.int16();
  let key: string | null | undefined;
  for (let i = 0; i < n; i++) {
    const kind = String.fromCharCode(r.byte());
    if (kind === 'n') {
      if (i === keyIndex) key = null;
    } else if (kind === 't' || kind === 'b') {
      const len = r.int32();
      if (i === keyIndex) key = r.bytes(len).toString('utf8');
      else r.pos += len;
    } else if (kind !== 'u') throw new Error(`pgoutput: unknown tuple value kind ${kind}`);
  }
  return key;
}

/** Changes and commit times of messages, without decoding rows (status: what waits in a slot). */
export interface ChangeTally {
  changes: number;
  firstCommitAt: Date | null;
  lastCommitAt: Date | null;
}

export function tallyMessage(message: Buffer, into: ChangeTally): void {
  const type = String.fromCharCode(message.readUInt8(0));
  if (type === 'I' || type === 'U' || type === 'D') into.changes++;
  else if (type === 'C') {
    // flags (1), commit LSN (8), end LSN (8), then the commit time.
    const at = new Date(POSTGRES_EPOCH_MS + Number(message.readBigInt64BE(18) / 1000n));
    into.firstCommitAt ??= at;
    into.lastCommitAt = at;
  }
}

export class PgOutputDecoder {
  private readonly relations = new Map<number, Relation>();
  /** The end LSN of the last Commit decoded: where the slot may be advanced once its changes are applied. */
  lastCommitEnd: bigint | null = null;
  /** When that transaction committed (the source's clock): how long the source has been silent since. */
  lastCommitAt: Date | null = null;

  /**
   * @param tableOf a table we migrate (undefined: a table we ignore).
   */
  constructor(private readonly tableOf: (table: string) => StreamTable | undefined) {}

  private rowOf(rel: Relation, values: Array<string | null | undefined>): SourceRow {
    const row: SourceRow = {};
    rel.columns.forEach((c, i) => {
      const v = values[i];
      if (v !== undefined) row[c] = v === null || !rel.fixes ? v : (rel.fixes[i] as TextFix)(v);
    });
    return row;
  }

  /**
   * A new tuple as the row a read would give, or undefined when a value is missing: an unchanged
   * TOASTed value the message left out, taken from the key's old row or its last known row if either
   * has it (with REPLICA IDENTITY FULL the old row always has it).
   */
  private newRow(
    into: ChangeSet,
    rel: Relation,
    fixes: readonly TextFix[],
    values: Array<string | null | undefined>,
    old: SourceRow | null,
  ): SourceRow | undefined {
    const row: SourceRow = {};
    let before: SourceRow | null | undefined;
    for (let i = 0; i < rel.columns.length; i++) {
      const c = rel.columns[i] as string;
      const v = values[i];
      if (v === undefined) {
        if (old && c in old) row[c] = old[c] as string | null;
        else {
          before ??= into.latest(rel.table, String(values[rel.keyIndex]));
          if (!before || !(c in before)) return undefined;
          row[c] = before[c] as string | null;
        }
      } else row[c] = v === null ? null : (fixes[i] as TextFix)(v);
    }
    return row;
  }

  private relation(relid: number): Relation {
    const rel = this.relations.get(relid);
    if (!rel) throw new Error(`pgoutput: a change of relation ${relid} came before its Relation message`);
    return rel;
  }

  private change(
    into: ChangeSet,
    rel: Relation,
    kind: 'insert' | 'update' | 'delete',
    key: string | null | undefined,
    old: SourceRow | null,
    now?: SourceRow,
  ): void {
    if (rel.keyIndex < 0) return;
    if (key === null || key === undefined) throw new Error(`pgoutput: a change of ${rel.table} without its key ${rel.columns[rel.keyIndex] ?? '?'}`);
    into.add(rel.table, key, kind, old, now);
  }

  /** A new tuple: its key, and its row when the relation's rows are decoded. */
  private newTuple(r: Reader, into: ChangeSet, rel: Relation, old: SourceRow | null): { key: string | null | undefined; row?: SourceRow } {
    if (!rel.fixes || rel.keyIndex < 0) return { key: keyOfTuple(r, rel.keyIndex) };
    const values = tuple(r);
    return { key: values[rel.keyIndex], row: this.newRow(into, rel, rel.fixes, values, old) };
  }

  /** Decodes one message into the change set. */
  decode(message: Buffer, into: ChangeSet): void {
    const r = new Reader(message);
    const type = String.fromCharCode(r.byte());
    switch (type) {
      case 'B':
      case 'Y':
      case 'O':
      case 'M':
        return;
      case 'C': {
        r.byte(); // flags
        r.int64(); // commit LSN
        this.lastCommitEnd = r.int64();
        // Microseconds since 2000-01-01 UTC (PostgreSQL's epoch).
        this.lastCommitAt = new Date(POSTGRES_EPOCH_MS + Number(r.int64() / 1000n));
        return;
      }
      case 'R': {
        const relid = r.uint32();
        const namespace = r.string();
        const name = r.string();
        r.byte(); // replica identity setting
        const n = r.int16();
        const columns: string[] = [];
        const types: number[] = [];
        for (let i = 0; i < n; i++) {
          r.byte(); // flags (1: part of the key)
          columns.push(r.string());
          types.push(r.uint32()); // type oid
          r.int32(); // type modifier
        }
        const table = namespace === 'public' ? name : `${namespace}.${name}`;
        const wanted = this.tableOf(table);
        this.relations.set(relid, {
          table,
          columns,
          keyIndex: wanted === undefined ? -1 : columns.indexOf(wanted.key),
          fixes: wanted?.columns ? streamText(columns, types, wanted.columns) : null,
        });
        return;
      }
      case 'I': {
        const rel = this.relation(r.uint32());
        r.byte(); // 'N'
        const { key, row } = this.newTuple(r, into, rel, null);
        this.change(into, rel, 'insert', key, null, row);
        return;
      }
      case 'U': {
        const rel = this.relation(r.uint32());
        let marker = String.fromCharCode(r.byte());
        let old: SourceRow | null = null;
        let oldKey: string | null | undefined;
        if (marker === 'K' || marker === 'O') {
          const oldValues = tuple(r);
          oldKey = oldValues[rel.keyIndex];
          if (marker === 'O') old = this.rowOf(rel, oldValues);
          marker = String.fromCharCode(r.byte());
        }
        if (marker !== 'N') throw new Error(`pgoutput: unexpected ${marker} in an Update message`);
        const { key, row } = this.newTuple(r, into, rel, old);
        this.change(into, rel, 'update', key, old, row);
        // A changed primary key: the old key's row is gone.
        if (rel.keyIndex >= 0 && oldKey !== undefined && oldKey !== null && oldKey !== key) this.change(into, rel, 'delete', oldKey, old);
        return;
      }
      case 'D': {
        const rel = this.relation(r.uint32());
        const marker = String.fromCharCode(r.byte());
        const values = tuple(r);
        this.change(into, rel, 'delete', values[rel.keyIndex], marker === 'O' ? this.rowOf(rel, values) : null);
        return;
      }
      case 'T': {
        const n = r.int32();
        r.byte(); // options
        for (let i = 0; i < n; i++) {
          const rel = this.relations.get(r.uint32());
          if (rel && rel.keyIndex >= 0) into.truncate(rel.table);
        }
        return;
      }
      default:
        throw new Error(`pgoutput: unknown message type ${type}`);
    }
  }
}
