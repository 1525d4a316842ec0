/**
 * Firestore's wire format (google.firestore.v1, protocol buffers) for the one write the migration
 * makes: set() of a whole document, which is a `Write { update: Document }` with no mask and no
 * precondition. The pre-flight encodes every checked document once, in its threads, while
 * Firestore has nothing to do yet; the write pass then sends those bytes as they are
 * (commit-channel.ts). On a busy machine this matters: the SDK's own path (validate, convert to
 * message objects, encode) costs about as much client CPU as the emulator spends storing the
 * documents, and both run at once in the write pass.
 *
 * Values are encoded exactly as the Node SDK encodes them (serializer.js): a number that is a safe
 * integer (not -0) is an integerValue, any other number a doubleValue; a Timestamp is a
 * timestampValue; null a nullValue; arrays and plain objects are arrayValue and mapValue (empty
 * ones included). Anything else (undefined, a class instance) is refused, as the SDK refuses it.
 * Field numbers: googleapis/google/firestore/v1/{firestore,write,document}.proto.
 */
import { Timestamp } from 'firebase-admin/firestore';

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;

// google.firestore.v1 field numbers.
const COMMIT_DATABASE = 1;
const COMMIT_WRITES = 2;
const WRITE_UPDATE = 1;
const WRITE_DELETE = 2;
const DOCUMENT_NAME = 1;
const DOCUMENT_FIELDS = 2;
const MAP_FIELDS = 1;
const ARRAY_VALUES = 1;
const ENTRY_KEY = 1;
const ENTRY_VALUE = 2;
const VALUE_BOOLEAN = 1;
const VALUE_INTEGER = 2;
const VALUE_DOUBLE = 3;
const VALUE_MAP = 6;
const VALUE_ARRAY = 9;
const VALUE_TIMESTAMP = 10;
const VALUE_NULL = 11;
const VALUE_STRING = 17;
const VALUE_BYTES = 18;
const TIMESTAMP_SECONDS = 1;
const TIMESTAMP_NANOS = 2;

/** A value the encoder cannot put on the wire (the SDK would refuse it too). */
export class WireEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireEncodingError';
  }
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

/** An append-only protobuf writer over one reusable buffer. */
class ProtoWriter {
  private buf: Buffer;
  pos = 0;

  constructor(initialSize = 1 << 16) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** A non-negative integer below 2^53. */
  varint(n: number): void {
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    while (n >= 0x80) {
      b[p++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    b[p++] = n;
    this.pos = p;
  }

  /** An int64 (negatives take ten bytes, two's complement). */
  int64(n: number | bigint): void {
    if (typeof n === 'number' && n >= 0) return this.varint(n);
    let v = BigInt.asUintN(64, BigInt(n));
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  double(n: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(n, this.pos);
    this.pos += 8;
  }

  string(field: number, s: string): void {
    this.tag(field, LEN);
    // At most 3 bytes per UTF-16 unit: short strings are written first and measured after.
    if (s.length * 3 < 0x80) {
      this.ensure(1 + s.length * 3);
      const at = this.pos++;
      const n = this.buf.write(s, this.pos, 'utf8');
      this.buf[at] = n;
      this.pos += n;
      return;
    }
    const n = Buffer.byteLength(s, 'utf8');
    this.varint(n);
    this.ensure(n);
    this.pos += this.buf.write(s, this.pos, n, 'utf8');
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, LEN);
    this.varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /** Starts a length-delimited field; one byte is kept for the length, most messages being short. */
  begin(field: number): number {
    this.tag(field, LEN);
    this.ensure(1);
    return this.pos++;
  }

  end(at: number): void {
    const len = this.pos - at - 1;
    if (len < 0x80) {
      this.buf[at] = len;
      return;
    }
    const size = varintSize(len);
    this.ensure(size - 1);
    this.buf.copyWithin(at + size, at + 1, this.pos);
    this.pos += size - 1;
    let p = at;
    let n = len;
    while (n >= 0x80) {
      this.buf[p++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[p] = n;
  }

  /** A copy of what was written since `from`. */
  copy(from = 0): Buffer {
    return Buffer.from(this.buf.subarray(from, this.pos));
  }

  reset(): void {
    this.pos = 0;
  }
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function encodeFields(w: ProtoWriter, field: number, obj: Record<string, unknown>, where: string): void {
  for (const key of Object.keys(obj)) {
    const entry = w.begin(field);
    w.string(ENTRY_KEY, key);
    const value = w.begin(ENTRY_VALUE);
    encodeValue(w, obj[key], where ? `${where}.${key}` : key);
    w.end(value);
    w.end(entry);
  }
}

/** The fields of one google.firestore.v1.Value (the caller wraps them). */
function encodeValue(w: ProtoWriter, v: unknown, where: string): void {
  switch (typeof v) {
    case 'string':
      w.string(VALUE_STRING, v);
      return;
    case 'boolean':
      w.tag(VALUE_BOOLEAN, VARINT);
      w.varint(v ? 1 : 0);
      return;
    case 'number':
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
        w.tag(VALUE_INTEGER, VARINT);
        w.int64(v);
      } else {
        w.tag(VALUE_DOUBLE, FIXED64);
        w.double(v);
      }
      return;
    case 'bigint':
      if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new WireEncodingError(`${where}: ${v} does not fit in a 64-bit integer`);
      w.tag(VALUE_INTEGER, VARINT);
      w.int64(v);
      return;
    case 'object': {
      if (v === null) {
        w.tag(VALUE_NULL, VARINT);
        w.varint(0);
        return;
      }
      if (v instanceof Timestamp) {
        const at = w.begin(VALUE_TIMESTAMP);
        if (v.seconds !== 0) {
          w.tag(TIMESTAMP_SECONDS, VARINT);
          w.int64(v.seconds);
        }
        if (v.nanoseconds !== 0) {
          w.tag(TIMESTAMP_NANOS, VARINT);
          w.varint(v.nanoseconds);
        }
        w.end(at);
        return;
      }
      if (Array.isArray(v)) {
        const at = w.begin(VALUE_ARRAY);
        for (let i = 0; i < v.length; i++) {
          const item = w.begin(ARRAY_VALUES);
          encodeValue(w, v[i], `${where}[${i}]`);
          w.end(item);
        }
        w.end(at);
        return;
      }
      if (v instanceof Uint8Array) {
        w.bytes(VALUE_BYTES, v);
        return;
      }
      if (isPlainObject(v)) {
        const at = w.begin(VALUE_MAP);
        encodeFields(w, MAP_FIELDS, v, where);
        w.end(at);
        return;
      }
      throw new WireEncodingError(`${where}: a ${v.constructor.name} cannot be stored in Firestore`);
    }
    default:
      throw new WireEncodingError(`${where}: ${typeof v} cannot be stored in Firestore`);
  }
}

/** `projects/{project}/databases/(default)`: the database a commit names. */
export function databaseName(projectId: string, databaseId = '(default)'): string {
  return `projects/${projectId}/databases/${databaseId}`;
}

/**
 * Encodes set() writes, each as it appears inside a CommitRequest (field `writes`, tag and length
 * included), so that a request is its database field followed by any number of them.
 */
export class WriteEncoder {
  private readonly w = new ProtoWriter();
  private readonly prefix: string;

  constructor(readonly database: string) {
    this.prefix = `${database}/documents/`;
  }

  /** Several documents into one buffer (one allocation for a page of rows). */
  encodeMany(docs: ReadonlyArray<{ path: string; data: Record<string, unknown> }>): Buffer {
    const w = this.w;
    w.reset();
    for (const d of docs) {
      const write = w.begin(COMMIT_WRITES);
      const update = w.begin(WRITE_UPDATE);
      w.string(DOCUMENT_NAME, this.prefix + d.path);
      encodeFields(w, DOCUMENT_FIELDS, d.data, '');
      w.end(update);
      w.end(write);
    }
    return w.copy();
  }

  encode(path: string, data: Record<string, unknown>): Buffer {
    return this.encodeMany([{ path, data }]);
  }

  /** Deletes of whole documents (`Write { delete: name }`; a missing document is no error). */
  encodeDeletes(paths: readonly string[]): Buffer {
    const w = this.w;
    w.reset();
    for (const path of paths) {
      const write = w.begin(COMMIT_WRITES);
      w.string(WRITE_DELETE, this.prefix + path);
      w.end(write);
    }
    return w.copy();
  }
}

/** A CommitRequest's database field, encoded once per channel and put before each request's writes. */
export function commitHead(database: string): Buffer {
  const head = new ProtoWriter(64 + Buffer.byteLength(database));
  head.string(COMMIT_DATABASE, database);
  return head.copy();
}

/** A CommitRequest (no transaction: the writes are applied atomically, as one batch). */
export function commitRequest(head: Buffer, writes: readonly Buffer[]): Buffer {
  return Buffer.concat([head, ...writes]);
}
