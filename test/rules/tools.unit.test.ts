/** The two tools the rules tests lean on, shown to fail where they must: the shape generator and the coverage figure. */
import { ALL_COLLECTIONS, defineCollection, json, regenerateRuleShapes, renderShapeFunction, SHAPES_BEGIN, SHAPES_END } from '@zhengrowth/model';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coverageFigure } from '../parity/coverage.js';

describe('the rules shape generator', () => {
  const probe = defineCollection({
    collection: 'probes/{pid}/items',
    idParam: 'itemId',
    schema: z.strictObject({
      name: z.string().max(10),
      count: z.int().nullable(),
      kind: z.enum(['a', 'b']),
      extra: z.boolean().optional(),
      blob: json,
    }),
    sources: [],
    access: 'owner',
    idFrom: 'test',
    description: 'test',
  });

  it('renders exact keys, types, nullability, optional fields and size limits', () => {
    const fn = renderShapeFunction(probe);
    expect(fn).toContain('function shapeProbesItems(d)');
    expect(fn).toContain("d.keys().hasAll(['name', 'count', 'kind', 'blob'])");
    expect(fn).toContain("d.keys().hasOnly(['name', 'count', 'kind', 'extra', 'blob'])");
    expect(fn).toContain('(d.name is string && d.name.size() <= 10)');
    expect(fn).toContain('(d.count == null || d.count is int)');
    expect(fn).toContain("d.kind in ['a', 'b']");
    expect(fn).toContain("(!('extra' in d) || d.extra is bool)");
    expect(fn).not.toContain('d.blob');
  });

  it('refuses a constraint it cannot express, rather than leaving it unchecked', () => {
    const bad = defineCollection({ ...probe, schema: z.strictObject({ url: z.string().startsWith('https://') }) });
    expect(() => renderShapeFunction(bad)).toThrow(/unsupported string check/);
  });

  it('refuses rules that call a shape of no model collection', () => {
    const text = `x\n${SHAPES_BEGIN}\n${SHAPES_END}\nallow write: if shapeNoSuchThing(incoming());`;
    expect(() => regenerateRuleShapes(text, ALL_COLLECTIONS)).toThrow(/shapeNoSuchThing/);
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
