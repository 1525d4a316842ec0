/**
 * The write pass sends documents the pre-flight encoded itself (wire.ts) through its own gRPC
 * channel (commit-channel.ts). These tests hold that path to the SDK's: the same values written
 * both ways must be stored identically, typed value for typed value, as the emulator's REST API
 * shows them (integerValue and doubleValue apart, nanoseconds, empty maps and arrays).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorHosts, testFirebase, testProjectId, type TestFirebase } from '@zhengrowth/devstack/testing';
import { Timestamp } from 'firebase-admin/firestore';
import { openCommitChannel, type CommitChannel } from '../src/migrate/target/commit-channel.js';
import { WireEncodingError, WriteEncoder } from '../src/migrate/codecs/wire.js';
import { makeGovernor } from '../src/migrate/target/governor.js';
import { withRetries, WriteFailedError } from '../src/migrate/target/retries.js';
import { Committer, UnitWriter } from '../src/migrate/target/writer.js';

let fb: TestFirebase;
let channel: CommitChannel;
let encoder: WriteEncoder;
const host = (): string => emulatorHosts().firestore;

beforeAll(() => {
  fb = testFirebase(testProjectId('wire'));
  channel = openCommitChannel({ projectId: fb.projectId, emulatorHost: host() });
  encoder = new WriteEncoder(channel.database);
});
afterAll(async () => {
  channel.close();
  await fb.close();
});

/** A document as Firestore stores it: its typed fields, from the emulator's REST API. */
async function stored(path: string): Promise<unknown> {
  const res = await fetch(`http://${host()}/v1/${channel.database}/documents/${path.split('/').map(encodeURIComponent).join('/')}`, {
    headers: { Authorization: 'Bearer owner' },
  });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { fields?: unknown }).fields ?? {};
}

const nested = (depth: number): Record<string, unknown> => (depth === 0 ? { leaf: 'x' } : { [`level${depth}`]: nested(depth - 1) });

const CASES: Array<[string, Record<string, unknown>]> = [
  ['strings', { empty: '', ascii: 'hello', unicode: 'Zhèn 成长 — ünïcødé', emoji: '🎉👩🏽‍💻', long: 'é'.repeat(70_000), nul: 'a\u0000b', quote: `"'\\` }],
  [
    'integers',
    {
      zero: 0,
      one: 1,
      minus: -1,
      max: Number.MAX_SAFE_INTEGER,
      min: Number.MIN_SAFE_INTEGER,
      big: 127,
      bigger: 128,
      neg128: -128,
      i32: 2 ** 31,
      big64: 2n ** 62n,
      neg64: -(2n ** 63n),
    },
  ],
  [
    'doubles',
    {
      half: 0.5,
      negZero: -0,
      tiny: -1e-300,
      huge: 1e300,
      unsafe: 2 ** 53,
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      ninf: Number.NEGATIVE_INFINITY,
      third: 1 / 3,
    },
  ],
  ['booleans and null', { yes: true, no: false, nothing: null }],
  [
    'timestamps',
    {
      epoch: new Timestamp(0, 0),
      micro: new Timestamp(1_700_000_000, 123_456_000),
      before1970: new Timestamp(-1, 999_999_000),
      first: new Timestamp(-62_135_596_800, 0),
      last: new Timestamp(253_402_300_799, 999_999_999),
    },
  ],
  [
    'maps and arrays',
    {
      emptyMap: {},
      emptyArray: [],
      list: [1, 'two', null, { three: [3] }, new Timestamp(5, 6)],
      map: { 'a.b': 1, 'with space': { '~': true, ключ: 'key' } },
      deep: nested(18),
    },
  ],
  ['bytes', { raw: Buffer.from([0, 1, 2, 255]) }],
  ['large', { blob: 'x'.repeat(900_000), many: Array.from({ length: 2000 }, (_, i) => ({ i, s: `item ${i}` })) }],
];

describe('set() writes encoded by the migration', () => {
  it.each(CASES)('store %s exactly as the SDK stores them', async (name, data) => {
    const id = name.replace(/\W+/g, '-');
    await fb.db.doc(`sdk/${id}`).set(data);
    await channel.commit([encoder.encode(`wire/${id}`, data)]);
    const viaSdk = await stored(`sdk/${id}`);
    expect(Object.keys(viaSdk as object).sort()).toEqual(Object.keys(data).sort());
    expect(await stored(`wire/${id}`)).toEqual(viaSdk);
  });

  it('replace the whole document, as set() without merge does, and name documents with any id', async () => {
    const path = 'wire/ünï cødé id';
    await channel.commit([encoder.encode(path, { a: 1, b: 2 })]);
    await channel.commit([encoder.encode(path, { c: 3 })]);
    expect((await fb.db.doc(path).get()).data()).toEqual({ c: 3 });
  });

  it('commit many documents in one request as the Admin SDK does (no security rules: clients may not write migration_runs), atomically', async () => {
    const docs = Array.from({ length: 500 }, (_, i) => ({ path: `migration_runs/r${i}`, data: { i } }));
    await channel.commit([encoder.encodeMany(docs.slice(0, 250)), encoder.encodeMany(docs.slice(250))]);
    const snap = await fb.db.collection('migration_runs').get();
    expect(snap.size).toBe(500);
    // One bad write (an odd path is no document) fails the whole request, and nothing of it is stored.
    const bad = channel.commit([encoder.encode('atomic/one', { ok: true }), encoder.encode('atomic/one/two', { ok: false })]);
    await expect(bad).rejects.toMatchObject({ code: 3 });
    expect((await fb.db.doc('atomic/one').get()).exists).toBe(false);
  });

  it('refuse values Firestore cannot hold, naming the field', () => {
    expect(() => encoder.encode('x/y', { a: { b: undefined } })).toThrow(WireEncodingError);
    expect(() => encoder.encode('x/y', { a: { b: undefined } })).toThrow(/a\.b: undefined/);
    expect(() => encoder.encode('x/y', { when: new Date(0) })).toThrow(/when: a Date/);
    expect(() => encoder.encode('x/y', { n: 2n ** 64n })).toThrow(/64-bit/);
  });
});

describe('the commit channel', () => {
  it('fails with UNAVAILABLE, which the writer retries, when Firestore cannot be reached', async () => {
    const nowhere = openCommitChannel({ projectId: fb.projectId, emulatorHost: '127.0.0.1:9' });
    try {
      const err = await nowhere.commit([encoder.encode('x/y', { a: 1 })]).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 14 });
      const retried = withRetries('commit', () => nowhere.commit([encoder.encode('x/y', { a: 1 })]), null, 2);
      await expect(retried).rejects.toThrow(/UNAVAILABLE 2 times in a row/);
    } finally {
      nowhere.close();
    }
  });

  it('stops the run with the table named when Firestore refuses a commit for good', async () => {
    const committer = new Committer(channel, { maxInFlight: 1, maxBatchDocs: 500, maxBatchBytes: 1 << 20, governor: makeGovernor({ emulator: true }) });
    const writer = new UnitWriter(committer, 'odd_table', { key: null, counts: {} }, () => Promise.resolve());
    await writer.push({ key: '1', writes: [encoder.encode('odd/one/two', { a: 1 })], docs: 1, counts: [{ table: 'odd_table', written: 1, rejected: 0 }] });
    const err = await writer.finish().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriteFailedError);
    expect((err as Error).message).toMatch(/^odd_table: commit of 1 documents: Firestore refused it: 3 INVALID_ARGUMENT/);
    expect(writer.doneKey).toBeNull();
  });

  it('refuses to open against the real Firestore without credentials', () => {
    expect(() => openCommitChannel({ projectId: 'some-project' })).toThrow(/credentials/);
  });

  it('carries the writer: batches bounded by documents and bytes, checkpoints in key order', async () => {
    const commits: number[] = [];
    const counting: CommitChannel = { database: channel.database, commit: (w) => (commits.push(w.length), channel.commit(w)), close: () => undefined };
    const committer = new Committer(counting, { maxInFlight: 2, maxBatchDocs: 500, maxBatchBytes: 64 * 1024, governor: makeGovernor({ emulator: true }) });
    const checkpoints: Array<string | null> = [];
    const writer = new UnitWriter(
      committer,
      'bulk',
      { key: null, counts: {} },
      (key) => {
        checkpoints.push(key);
        return Promise.resolve();
      },
      undefined,
      0,
    );
    for (let i = 0; i < 1200; i++) {
      const key = String(i).padStart(5, '0');
      await writer.push({
        key,
        writes: [encoder.encode(`bulk/${key}`, { i, pad: 'p'.repeat(100) })],
        docs: 1,
        counts: [{ table: 'bulk', written: 1, rejected: 0 }],
      });
    }
    await writer.finish();
    expect((await fb.db.collection('bulk').count().get()).data().count).toBe(1200);
    // ~160 bytes per write: 64 KiB holds about 400 of them, so the byte bound cut the batches, not the 500.
    expect(Math.max(...commits)).toBeLessThan(500);
    expect(commits.reduce((a, b) => a + b, 0)).toBe(1200);
    expect(writer.done).toEqual({ bulk: { written: 1200, rejected: 0 } });
    expect(checkpoints.at(-1)).toBe('01199');
    expect([...checkpoints].sort()).toEqual(checkpoints);
  });
});
