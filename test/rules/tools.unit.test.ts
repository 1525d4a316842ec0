/** The tools the rules tests lean on, shown to fail where they must: the shape and write generator, and the coverage figure. */
import {
  ALL_COLLECTIONS,
  clientNumber,
  clientWriteSchema,
  defineCollection,
  expressionCount,
  flatJson,
  id,
  json,
  jsonKey,
  narrowingProblems,
  regenerateRuleShapes,
  renderShapeFunction,
  renderWriteFunction,
  RulesWriter,
  SHAPES_BEGIN,
  SHAPES_END,
  text,
  timestamp,
  WRITE_CHECK_BUDGET,
  type AnyCollection,
} from '@zhengrowth/model';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coverageFigure } from '../parity/coverage.js';

const stored = z.strictObject({
  name: z.string(),
  count: z.int().nullable(),
  kind: z.enum(['a', 'b']),
  extra: z.boolean().optional(),
  at: timestamp.nullable(),
  tags: z.array(z.string()).nullable(),
  blob: json.nullable(),
  ref: id,
});

function probe(clientWrite?: z.ZodObject, schema: z.ZodObject = stored): AnyCollection {
  return defineCollection({
    collection: 'probes/{pid}/items',
    idParam: 'itemId',
    schema,
    sources: [],
    access: 'owner',
    idFrom: 'test',
    description: 'test',
    clientWrite,
  });
}

const goodWrite = clientWriteSchema(stored, {
  name: text(10),
  count: z.int().min(0).max(5).nullable(),
  tags: z.array(text(3)).max(2).nullable(),
  blob: z
    .strictObject({ mood: z.enum(['up', 'down']), note: text(20).nullable(), props: flatJson({ maxKeys: 2, maxString: 8 }) })
    .partial()
    .nullable(),
});

function render(c: AnyCollection): string {
  const writer = new RulesWriter();
  const fn = renderWriteFunction(c, writer);
  return [...writer.functions.values()].map((f) => writer.render(f)).join('\n') + `\n// main ${fn.name}`;
}

describe('the rules shape generator', () => {
  it('renders the stored document’s exact key set', () => {
    const fn = renderShapeFunction(probe(goodWrite));
    expect(fn).toContain('function shapeProbesItems(d)');
    expect(fn).toContain("d.keys().hasAll(['name', 'count', 'kind', 'at', 'tags', 'blob', 'ref'])");
    expect(fn).toContain("d.keys().hasOnly(['name', 'count', 'kind', 'extra', 'at', 'tags', 'blob', 'ref'])");
  });

  it('renders the write check of every client-writable field, to the client-write schema', () => {
    const out = render(probe(goodWrite));
    expect(out).toContain('function writeProbesItems(d, k)');
    expect(out).toContain("k.hasOnly(['name', 'count', 'kind', 'extra', 'at', 'tags', 'blob', 'ref'])");
    expect(out).toContain("(!('name' in k) || (d.name is string && d.name.size() <= 10))");
    expect(out).toContain("(!('count' in k) || (d.count == null || (d.count is int && d.count >= 0 && d.count <= 5)))");
    expect(out).toContain("(!('kind' in k) || d.kind in ['a', 'b'])");
    // An optional field may be removed (the shape says whether it may be absent).
    expect(out).toContain("(!('extra' in k) || !('extra' in d) || d.extra is bool)");
    expect(out).toContain("(!('at' in k) || (d.at == null || d.at is timestamp))");
    expect(out).toContain("(!('ref' in k) || (d.ref is string && d.ref.size() >= 1 && d.ref.size() <= 1500))");
    // Lists: bounded, every element checked (rules have no loops).
    expect(out).toContain('v is list');
    expect(out).toContain('v.size() <= 2');
    expect(out).toContain('(v.size() <= 1 || (v[1] is string && v[1].size() <= 3))');
    // A fixed json form: exact keys, each checked; a flat map: keys all at once, values one by one.
    expect(out).toContain("v.keys().hasOnly(['mood', 'note', 'props'])");
    expect(out).toContain("(!('mood' in v) || v.mood in ['up', 'down'])");
    expect(out).toContain("v.keys().join(',').split(',').size() == v.size()");
    expect(out).toContain('(l.size() <= 1 || jsonScalar8(l[1]))');
    expect(out).toContain('(v is number && v >= -9007199254740991 && v <= 9007199254740991)');
  });

  it('refuses a client-writable field the rules cannot check to its standard, naming it', () => {
    const refuse = (overrides: z.ZodRawShape, why: RegExp): void => {
      expect(() => render(probe(clientWriteSchema(goodWrite, overrides)))).toThrow(why);
    };
    refuse({ name: z.string() }, /writeProbesItems_name: a string a client writes needs a maximum length/);
    refuse({ tags: z.array(text(3)).nullable() }, /writeProbesItems_tags: a list a client writes needs a maximum length/);
    refuse({ blob: json.nullable() }, /items\/\{itemId\} blob: not a fixed JSON form/);
    refuse({ blob: z.object({ a: text(3) }).nullable() }, /must be strict/);
    refuse({ blob: z.record(jsonKey, text(3)).nullable() }, /needs a key bound/);
    refuse({ count: z.number().nullable() }, /not narrower|needs both bounds/);
    refuse({ name: text(5).startsWith('x') }, /unsupported string check/);
  });

  it('refuses a client-write schema that is not narrower than the stored one', () => {
    const tight = z.strictObject({ name: z.string().max(5), n: z.int(), when: timestamp, blob: json.nullable() });
    const base = { ...tight.shape, blob: z.strictObject({ a: text(3) }).nullable() };
    const bad = (overrides: z.ZodRawShape): string[] => narrowingProblems(z.strictObject({ ...base, ...overrides }), tight, 'doc');
    expect(bad({})).toEqual([]);
    expect(bad({ name: text(6) }).join()).toMatch(/longer than the stored maximum/);
    expect(bad({ n: clientNumber }).join()).toMatch(/the stored field is an integer/);
    expect(bad({ name: text(5).nullable() }).join()).toMatch(/may be null/);
    expect(bad({ when: text(5) }).join()).toMatch(/the stored field is a timestamp/);
    expect(bad({ blob: z.strictObject({ at: timestamp }).nullable() }).join()).toMatch(/not a fixed JSON form/);
    expect(bad({ blob: z.record(z.string().regex(/^~.*$/), z.boolean()).nullable() }).join()).toMatch(/map keys must be jsonKey/);
    expect(() => render(probe(clientWriteSchema(stored, { name: text(10).nullable() })))).toThrow(/not narrower than the stored schema/);
  });

  it('refuses a write check that could exceed the rules’ expression budget, and prices lists by their bound', () => {
    expect(() => render(probe(clientWriteSchema(goodWrite, { tags: z.array(text(3)).max(60).nullable() })))).toThrow(/costs up to \d+ rules expressions/);
    const cost = (n: number): number => {
      const writer = new RulesWriter();
      renderWriteFunction(probe(clientWriteSchema(goodWrite, { tags: z.array(text(3)).max(n).nullable() })), writer);
      return writer.cost('writeProbesItems');
    };
    expect(cost(4) - cost(2)).toBe(2 * (cost(3) - cost(2)));
    expect(cost(2)).toBeLessThan(WRITE_CHECK_BUDGET);
    // A type test is one expression (`v is string`), a literal one, a call one.
    expect(expressionCount('(v.size() <= 1 || (v[1] is string && v[1].size() <= 3))')).toBe(14);
  });

  it('refuses a collection clients write that declares no client-write schema', () => {
    expect(() => render(probe(undefined))).toThrow(/declares no clientWrite schema/);
    const text0 = `x\n${SHAPES_BEGIN}\n${SHAPES_END}\nallow write: if shapeProbesItems(incoming());`;
    expect(() => regenerateRuleShapes(text0, [probe(undefined)])).toThrow(/declares no clientWrite schema/);
  });

  it('refuses rules that call a shape of no model collection', () => {
    const rules = `x\n${SHAPES_BEGIN}\n${SHAPES_END}\nallow write: if shapeNoSuchThing(incoming());`;
    expect(() => regenerateRuleShapes(rules, ALL_COLLECTIONS)).toThrow(/shapeNoSuchThing/);
  });
});

describe('the coverage figure', () => {
  const report = (values: Array<Array<{ value?: Record<string, unknown>; count?: number }>>): unknown => ({
    rules: { files: [{ content: 'allow read: if a && b;' }] },
    report: [
      {
        sourcePosition: { line: 1, column: 16, currentOffset: 15, endOffset: 20 },
        values: values[0],
        children: [
          { sourcePosition: { line: 1, column: 16, currentOffset: 15, endOffset: 15 }, values: values[1] },
          { sourcePosition: { line: 1, column: 21, currentOffset: 20, endOffset: 20 }, values: values[2] },
        ],
      },
    ],
  });

  it('counts an expression evaluated only when it produced a value', () => {
    const full = coverageFigure(
      report([[{ value: { boolValue: true }, count: 2 }], [{ value: { boolValue: true }, count: 2 }], [{ value: { boolValue: true }, count: 2 }]]),
    );
    expect(full).toMatchObject({ total: 3, evaluated: 3, percent: 100, unevaluated: [] });
    // `b` short-circuited every time (empty value) or never ran (no values): not covered.
    const shortCircuited = coverageFigure(
      report([[{ value: { boolValue: false }, count: 1 }], [{ value: { boolValue: false }, count: 1 }], [{ value: {}, count: 1 }]]),
    );
    expect(shortCircuited.evaluated).toBe(2);
    expect(shortCircuited.unevaluated).toEqual(['1:21  b']);
    expect(coverageFigure(report([[], [], []])).evaluated).toBe(0);
  });

  it('rejects an answer that is not a coverage report', () => {
    expect(() => coverageFigure({ error: 'no such project' })).toThrow(/not a coverage report/);
  });
});
