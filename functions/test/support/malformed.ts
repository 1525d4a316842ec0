/**
 * Hostile inputs for a callable, derived from its contract's input schema: values that are not an
 * object at all, prototype keys, and for every field of the schema a wrong type, null, an array, a
 * huge string, deep nesting and a prototype-keyed object.
 */
import type { z } from 'zod';

export interface MalformedSample {
  label: string;
  data: unknown;
  /** Not an object: no contract can accept it. */
  topLevel: boolean;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
  in?: z.ZodType;
  innerType?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Every field name the schema's object shapes name (through unions, pipes, defaults and wrappers). */
export function fieldsOf(schema: z.ZodType, seen = new Set<z.ZodType>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = defOf(schema);
  const inner = [def.innerType, def.in, def.left, def.right, ...(def.options ?? []), def.type === 'lazy' ? def.getter?.() : undefined];
  const own = def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
  return [...new Set([...own, ...inner.flatMap((s) => (s ? fieldsOf(s, seen) : []))])];
}

function nested(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = { a: v, b: [v] };
  return v;
}

const HUGE = 'x'.repeat(300_000);
const DEEP = nested(4_000);
const PROTO = (): unknown => JSON.parse('{"__proto__":{"roles":["admin"],"polluted":true},"constructor":{"prototype":{"polluted":true}},"prototype":{}}');

export function malformedInputs(schema: z.ZodType): MalformedSample[] {
  const samples: MalformedSample[] = [
    { label: 'an array', data: [], topLevel: true },
    { label: 'an array of objects', data: [{}], topLevel: true },
    { label: 'a string', data: 'text', topLevel: true },
    { label: 'a number', data: 42, topLevel: true },
    { label: 'a boolean', data: true, topLevel: true },
    { label: 'prototype keys', data: PROTO(), topLevel: false },
    { label: 'deep nesting', data: { deep: DEEP }, topLevel: false },
  ];
  for (const field of fieldsOf(schema)) {
    const wrong: Array<[string, unknown]> = [
      ['a number', 12_345.5],
      ['null', null],
      ['an array', [1, 'two', { three: 3 }]],
      ['an object', { nested: { x: 1 } }],
      ['a huge string', HUGE],
      ['deep nesting', DEEP],
      ['prototype keys', PROTO()],
    ];
    for (const [what, value] of wrong) samples.push({ label: `${field}: ${what}`, data: { [field]: value }, topLevel: false });
  }
  return samples;
}
