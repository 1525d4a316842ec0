import { decodeJson, encodeJson, isJsonValue, json, JsonEncodingError, type JsonValue } from '@zhengrowth/model';
import { describe, expect, it } from 'vitest';

function roundTrip(value: JsonValue, field = 'metadata'): JsonValue {
  return decodeJson(encodeJson(value, { field }));
}

function nest(levels: number, make: (inner: JsonValue) => JsonValue): JsonValue {
  let v: JsonValue = 1;
  for (let i = 0; i < levels; i++) v = make(v);
  return v;
}

describe('the JSON encoding', () => {
  it('keeps plain JSON as it is', () => {
    const plain = { a: 1, b: [1, 'x', null, true, { c: 2.5 }], d: { e: 'f' }, g: null };
    expect(encodeJson(plain)).toEqual(plain);
    expect(roundTrip(plain)).toEqual(plain);
  });

  it('escapes empty, reserved and ~ keys, and undoes it', () => {
    const value = { '': 1, __id__: 2, '~x': 3, '~~y': 4, '~array': [1], '~null': 5, __proto__x: 6, normal: { '': { __a__: 7 } } };
    const stored = encodeJson(value) as Record<string, JsonValue>;
    expect(Object.keys(stored).sort()).toEqual(['__proto__x', 'normal', '~', '~__id__', '~~array', '~~null', '~~x', '~~~y'].sort());
    expect(stored.normal).toEqual({ '~': { '~__a__': 7 } });
    expect(roundTrip(value)).toEqual(value);
  });

  it('keeps a "__proto__" key a key (it is reserved-looking, so escaped)', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}}') as JsonValue;
    const stored = encodeJson(value) as Record<string, JsonValue>;
    expect(Object.keys(stored)).toEqual(['~__proto__']);
    const back = decodeJson(stored) as Record<string, JsonValue>;
    expect(Object.keys(back)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('wraps arrays inside arrays', () => {
    expect(encodeJson([[1, 2], [[3]], 4])).toEqual([{ '~array': [1, 2] }, { '~array': [{ '~array': [3] }] }, 4]);
    expect(roundTrip([[1, 2], [[3]], 4, []])).toEqual([[1, 2], [[3]], 4, []]);
    expect(roundTrip({ a: [[]] })).toEqual({ a: [[]] });
  });

  it('tells a whole-value JSON null from SQL NULL', () => {
    expect(encodeJson(null)).toEqual({ '~null': true });
    expect(decodeJson({ '~null': true })).toBeNull();
    expect(roundTrip([null, { a: null }])).toEqual([null, { a: null }]);
  });

  it('allows 20 levels and refuses 21, counting the wrapper maps', () => {
    expect(() => encodeJson(nest(20, (v) => ({ a: v })))).not.toThrow();
    expect(() => encodeJson(nest(21, (v) => ({ a: v })))).toThrow(JsonEncodingError);
    // 10 arrays nested directly: each inner one becomes a wrapper map plus an array = 19 levels.
    expect(() => encodeJson(nest(10, (v) => [v]))).not.toThrow();
    expect(() => encodeJson(nest(11, (v) => [v]))).toThrow(/deeper than Firestore's 20 levels/);
  });

  it('limits the field path to 1,500 bytes, field name and dots included', () => {
    expect(() => encodeJson({ ['k'.repeat(1491)]: 1 }, { field: 'metadata' })).not.toThrow(); // 8 + 1 + 1491
    expect(() => encodeJson({ ['k'.repeat(1492)]: 1 }, { field: 'metadata' })).toThrow(/1,?500-byte/);
    expect(() => encodeJson([{ ['中'.repeat(497)]: 1 }], { field: 'metadata' })).not.toThrow(); // arrays add no segment
    expect(() => encodeJson([{ ['中'.repeat(498)]: 1 }], { field: 'metadata' })).toThrow(JsonEncodingError);
  });

  it('refuses numbers JSON has not', () => {
    expect(() => encodeJson({ a: Number.NaN })).toThrow(/JSON has no number NaN at \/a/);
    expect(() => encodeJson([Number.POSITIVE_INFINITY])).toThrow(JsonEncodingError);
  });
});

describe('the json field schema', () => {
  it('accepts what JSON can say, and nothing else', () => {
    for (const ok of ['', 'text', 0, -1.5, true, false, null, [], {}, [1, ['a', { b: null }]], { a: { b: [{ c: 'd' }] } }, Object.create(null) as JsonValue]) {
      expect(json.safeParse(ok).success, JSON.stringify(ok)).toBe(true);
      expect(isJsonValue(ok)).toBe(true);
    }
    class Point {
      x = 1;
    }
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const deep = nest(70, (inner) => [inner]);
    for (const bad of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      undefined,
      new Date(0),
      new Point(),
      () => 1,
      1n,
      Symbol('s'),
      { a: undefined },
      [1, Number.NaN],
      { a: { b: new Date(0) } },
      cyclic,
      deep,
    ]) {
      expect(isJsonValue(bad), String(typeof bad)).toBe(false);
      const res = json.safeParse(bad);
      expect(res.success).toBe(false);
      expect(res.error?.issues[0]?.message).toMatch(/expected a JSON value/);
    }
  });
});
