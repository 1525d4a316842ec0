import { describe, expect, it } from 'vitest';
import { estimateSeconds, makeGovernor } from '../src/migrate/target/governor.js';
import { withRetries, WriteFailedError } from '../src/migrate/target/retries.js';
import { documentSize, indexEntries, nestingDepth, type IndexConfig } from '../src/migrate/transform/limits.js';
import { checkJsonNumbers, formatInstant, jsonNumberIsExact, parseDate, parseTextArray, parseTimestamptz, Rejection } from '../src/migrate/codecs/pgtext.js';

const ts = (t: string): string => formatInstant(parseTimestamptz(t, 'c'));

describe('timestamptz text', () => {
  it('keeps microseconds and honours offsets of hours, minutes and seconds', () => {
    expect(ts('2025-01-02 03:04:05.123456+00')).toBe('2025-01-02T03:04:05.123456Z');
    expect(ts('2025-01-02 03:04:05.5+00')).toBe('2025-01-02T03:04:05.500000Z');
    expect(ts('2025-01-02 03:04:05+05:30')).toBe('2025-01-01T21:34:05.000000Z');
    expect(ts('1900-06-01 00:00:00-03:30:15')).toBe('1900-06-01T03:30:15.000000Z');
    expect(parseTimestamptz('1970-01-01 00:00:00.000001+00', 'c')).toEqual({ seconds: 0, nanoseconds: 1000 });
    expect(parseTimestamptz('1969-12-31 23:59:59.999999+00', 'c')).toEqual({ seconds: -1, nanoseconds: 999_999_000 });
  });

  it('reads the common UTC form the same on its fast path as on the general one', () => {
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor((i * 7_919_993_377_123) % 253_402_300_799_000) - 62_135_596_800_000 * (i % 3 === 0 ? 1 : 0);
      const iso = new Date(ms).toISOString();
      if (iso.startsWith('-') || iso.startsWith('+')) continue;
      const frac = String(i % 1_000_000)
        .padStart(6, '0')
        .slice(0, 1 + (i % 6))
        .replace(/0+$/, '');
      const text = `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''}`;
      expect(parseTimestamptz(`${text}+00`, 'c'), text).toEqual(parseTimestamptz(`${text}+00:00`, 'c'));
    }
  });

  it("covers exactly Firestore's range, 0001-01-01 to 9999-12-31 UTC", () => {
    expect(ts('0001-01-01 00:00:00+00')).toBe('0001-01-01T00:00:00.000000Z');
    expect(ts('0001-01-01 00:00:00-01')).toBe('0001-01-01T01:00:00.000000Z');
    expect(ts('9999-12-31 23:59:59.999999+00')).toBe('9999-12-31T23:59:59.999999Z');
    expect(() => ts('0001-01-01 00:00:00+01')).toThrow(/outside Firestore's Timestamp range/);
    expect(() => ts('9999-12-31 23:59:59-01')).toThrow(Rejection);
    expect(() => ts('10000-01-01 00:00:00+00')).toThrow(/outside/);
    expect(() => ts('0044-03-15 12:00:00+00 BC')).toThrow(/before year 1/);
    expect(() => ts('infinity')).toThrow(/'infinity'/);
    expect(() => ts('-infinity')).toThrow(/'-infinity'/);
    expect(() => ts('2025-02-30 00:00:00+00')).toThrow(/not a valid timestamp/);
  });

  it('dates stay YYYY-MM-DD; what Firestore apps cannot read as one is rejected', () => {
    expect(parseDate('2025-02-28', 'd')).toBe('2025-02-28');
    expect(() => parseDate('infinity', 'd')).toThrow(Rejection);
    expect(() => parseDate('0044-03-15 BC', 'd')).toThrow(Rejection);
    expect(() => parseDate('10000-01-01', 'd')).toThrow(Rejection);
  });
});

describe('text[] literals', () => {
  it('reads quoted and unquoted elements exactly', () => {
    expect(parseTextArray('{}', 'a')).toEqual([]);
    expect(parseTextArray('{a,b}', 'a')).toEqual(['a', 'b']);
    expect(parseTextArray('{"a,b","NULL","with \\"q\\"","","back\\\\slash","{x}"}', 'a')).toEqual(['a,b', 'NULL', 'with "q"', '', 'back\\slash', '{x}']);
    expect(parseTextArray('{中文,"a b"}', 'a')).toEqual(['中文', 'a b']);
  });
  it('rejects NULL elements, more dimensions and explicit bounds', () => {
    expect(() => parseTextArray('{a,NULL}', 'tags')).toThrow(/NULL element/);
    expect(() => parseTextArray('{{a,b},{c,d}}', 'tags')).toThrow(/multi-dimensional/);
    expect(() => parseTextArray('[0:1]={a,b}', 'tags')).toThrow(/explicit bounds/);
  });
});

describe('JSON numbers', () => {
  it('accepts what a double holds exactly, refuses the rest', () => {
    for (const ok of [
      '0',
      '-0',
      '1',
      '1.0',
      '1.50',
      '0.1',
      '1e2',
      '9007199254740992',
      '-9007199254740991',
      '0.30000000000000004',
      '1.7976931348623157e308',
      '5e-324',
    ]) {
      expect(jsonNumberIsExact(ok), ok).toBe(true);
    }
    for (const bad of ['9007199254740993', '12345678901234567890', '1e400', '0.3000000000000000444', '1.00000000000000000001']) {
      expect(jsonNumberIsExact(bad), bad).toBe(false);
    }
  });
  it('finds numbers outside strings only', () => {
    expect(() => checkJsonNumbers('{"a": "12345678901234567890", "b\\"": [1, 2.5]}', 'm')).not.toThrow();
    expect(() => checkJsonNumbers('{"a": [1, {"b": 12345678901234567890}]}', 'm')).toThrow(/12345678901234567890/);
  });
});

describe("Firestore's limits", () => {
  it('sizes a document by the storage size formula (the documentation example is 147 bytes)', () => {
    expect(documentSize('users/jeff/tasks/my_task_id', { type: 'Personal', done: false, priority: 1, description: 'Learn Cloud Firestore' })).toBe(147);
  });
  it('counts depth and index entries', () => {
    const none: IndexConfig = { overrides: new Map(), composites: new Map() };
    expect(nestingDepth({ a: 1, b: { c: [1, { d: 2 }] } })).toBe(3);
    expect(indexEntries('g', { a: 1, b: { c: 1, d: [1, 1, 2] } }, none)).toBe(6);
    const exempt: IndexConfig = {
      overrides: new Map([['g', new Map([['b', { collectionGroup: 'g', fieldPath: 'b', indexes: [] }]])]]),
      composites: new Map([['g', [{ collectionGroup: 'g', fields: [{ fieldPath: 'a', order: 'ASCENDING' }] }]]]),
    };
    expect(indexEntries('g', { a: 1, b: { c: 1, d: [1, 2] } }, exempt)).toBe(3);
  });
});

describe('the write governor', () => {
  it('estimates the 500/50/5 ramp: 150,000 writes in the first 5 minutes, then 50 % more each step', () => {
    expect(estimateSeconds(150_000, { emulator: false })).toBeCloseTo(300, 6);
    expect(estimateSeconds(375_000, { emulator: false })).toBeCloseTo(600, 6);
    expect(estimateSeconds(1000, { emulator: false, maxOpsPerSecond: 100 })).toBe(10);
    expect(estimateSeconds(1000, { emulator: true })).toBeNull();
  });
  it('ramps with time and halves on RESOURCE_EXHAUSTED', () => {
    let now = 0;
    const g = makeGovernor({ emulator: false }, () => now);
    expect(g.rate()).toBe(500);
    now = 5 * 60_000;
    expect(g.rate()).toBe(750);
    g.exhausted();
    expect(g.rate()).toBe(375);
    now += 5 * 60_000;
    expect(g.rate()).toBeCloseTo(562.5);
    expect(makeGovernor({ emulator: true }).rate()).toBe(Number.POSITIVE_INFINITY);
    expect(makeGovernor({ emulator: true, maxOpsPerSecond: 200 }).rate()).toBe(200);
  });
});

describe('retries', () => {
  it('retries transient gRPC codes with backoff, slows the governor on RESOURCE_EXHAUSTED, and gives up with a clear error', async () => {
    let calls = 0;
    const g = makeGovernor({ emulator: false });
    const before = g.rate();
    const ok = await withRetries(
      'commit',
      () => {
        calls++;
        if (calls === 1) return Promise.reject(Object.assign(new Error('quota'), { code: 8 }));
        if (calls === 2) return Promise.reject(Object.assign(new Error('busy'), { code: 14 }));
        return Promise.resolve('done');
      },
      g,
      5,
    );
    expect(ok).toBe('done');
    expect(calls).toBe(3);
    expect(g.rate()).toBe(before / 2);
    await expect(withRetries('commit', async () => Promise.reject(Object.assign(new Error('gone'), { code: 10 })), null, 2)).rejects.toThrow(WriteFailedError);
    await expect(withRetries('commit', async () => Promise.reject(Object.assign(new Error('bad'), { code: 3 })), null, 5)).rejects.toThrow('bad');
  });

  it('retries the transient failures of Firebase Auth (network, its own failure, its rate limit), and nothing else', async () => {
    const codes = ['app/network-error', 'app/network-timeout', 'auth/internal-error', 'auth/quota-exceeded', 'auth/too-many-requests'];
    let calls = 0;
    const ok = await withRetries(
      'Firebase Auth import',
      () => {
        const code = codes[calls++];
        return code ? Promise.reject(Object.assign(new Error('flaky'), { code })) : Promise.resolve('imported');
      },
      null,
      codes.length + 1,
    );
    expect([ok, calls]).toEqual(['imported', codes.length + 1]);
    let refused = 0;
    const invalid = withRetries(
      'Firebase Auth import',
      () => (refused++, Promise.reject(Object.assign(new Error('invalid uid'), { code: 'auth/invalid-uid' }))),
      null,
      5,
    );
    await expect(invalid).rejects.toThrow('invalid uid');
    expect(refused).toBe(1);
    const down = withRetries('Firebase Auth lookup', async () => Promise.reject(Object.assign(new Error('reset'), { code: 'app/network-error' })), null, 2);
    await expect(down).rejects.toThrow(/Firebase Auth lookup: answered app\/network-error 2 times in a row/);
  });
});
