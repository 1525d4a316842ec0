/**
 * The pre-flight's output, kept on disk for the write pass. The pre-flight transforms and checks
 * every row; what it produced — the documents, the rejected rows with their reasons, the counts —
 * is appended here, page by page (V8's serializer, length-prefixed frames), and the write pass
 * writes exactly that, streaming it back with one page in memory. So every document written is one
 * the pre-flight checked, and no row is read or transformed twice. The files live in a temporary
 * folder (os.tmpdir(), so TMPDIR) that the run removes at the end; a resumed run makes new ones.
 *
 * Firestore Timestamps (class instances) travel as BigInt nanoseconds since the epoch: no JSON
 * value (the only other nested data) can hold a BigInt, so the revival cannot mistake anything.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import v8 from 'node:v8';
import { Timestamp } from 'firebase-admin/firestore';
import type { RejectedRow, WorkItem } from './units.js';

/** A work item as the write pass needs it. */
export interface ReadyItem {
  key: string;
  docs: Array<{ path: string; data: Record<string, unknown>; bytes: number }>;
  rejects: RejectedRow[];
  counts: WorkItem['counts'];
}

const BILLION = 1_000_000_000n;

/** Timestamps → BigInt, in place: the pre-flight's documents are not used again after the spill. */
function pack(value: unknown): unknown {
  if (value instanceof Timestamp) return BigInt(value.seconds) * BILLION + BigInt(value.nanoseconds);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'object' && v !== null) value[i] = pack(v);
    }
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (typeof v === 'object' && v !== null) o[k] = pack(v);
    }
    return o;
  }
  return value;
}

function unpack(value: unknown): unknown {
  if (typeof value === 'bigint') {
    let seconds = value / BILLION;
    let nanos = value - seconds * BILLION;
    if (nanos < 0n) {
      seconds -= 1n;
      nanos += BILLION;
    }
    return new Timestamp(Number(seconds), Number(nanos));
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'bigint' || (typeof v === 'object' && v !== null)) value[i] = unpack(v);
    }
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (typeof v === 'bigint' || (typeof v === 'object' && v !== null)) o[k] = unpack(v);
    }
    return o;
  }
  return value;
}

export class SpillWriter {
  private readonly stream: fs.WriteStream;
  private failure: Error | null = null;
  bytes = 0;

  constructor(readonly file: string) {
    this.stream = fs.createWriteStream(file);
    this.stream.on('error', (err) => (this.failure = err));
  }

  /** Appends a page. The documents' Timestamps are replaced in place: do not use the items afterwards. */
  async write(items: readonly WorkItem[]): Promise<void> {
    if (this.failure) throw this.failure;
    const ready: ReadyItem[] = items.map((i) => ({
      key: i.key,
      docs: i.docs.map((d) => ({ path: d.path, data: pack(d.data) as Record<string, unknown>, bytes: d.bytes })),
      rejects: i.rejects,
      counts: i.counts,
    }));
    const body = v8.serialize(ready);
    const head = Buffer.alloc(4);
    head.writeUInt32LE(body.length);
    this.bytes += body.length + 4;
    const more = this.stream.write(head) && this.stream.write(body);
    if (!more) await once(this.stream, 'drain');
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'close');
    if (this.failure) throw new Error(`writing ${this.file}: ${this.failure.message}`);
  }
}

/** The pages a SpillWriter wrote, in order, one in memory at a time. */
export async function* readSpill(file: string): AsyncIterable<ReadyItem[]> {
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  let buffer: Buffer = Buffer.alloc(0);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    for (;;) {
      if (buffer.length < 4) break;
      const length = buffer.readUInt32LE(0);
      if (buffer.length < 4 + length) break;
      const items = v8.deserialize(buffer.subarray(4, 4 + length)) as ReadyItem[];
      buffer = buffer.subarray(4 + length);
      for (const item of items) for (const d of item.docs) unpack(d.data);
      yield items;
    }
  }
  if (buffer.length) throw new Error(`${file} ends in the middle of a page`);
}
