import { Timestamp } from 'firebase-admin/firestore';
import { z } from 'zod';

/** A valid value for a model type, every nullable filled in, to round-trip each collection. */
export function sampleFor(t: z.ZodType): unknown {
  const def = t._zod.def as {
    type: string;
    innerType?: z.ZodType;
    element?: z.ZodType;
    entries?: Record<string, string>;
    shape?: Record<string, z.ZodType>;
  };
  const meta = z.globalRegistry.get(t) as { zgType?: string; examples?: unknown[] } | undefined;
  // A string with a format of its own (a regex) says what a valid one looks like.
  if (meta?.examples?.length) return meta.examples[0];
  switch (meta?.zgType) {
    case 'timestamp':
      return new Timestamp(1_700_000_000, 123_456_000);
    case 'date_string':
      return '2024-02-29';
    case 'uid':
      return 'user-1';
    case 'money_minor':
      return 4999;
    case 'currency':
      return 'JPY';
    case 'decimal_string':
      return '12.50';
    case 'json':
      return { steps: [1, { done: true, label: '完成' }], note: null };
  }
  switch (def.type) {
    case 'nullable':
    case 'optional':
      return sampleFor(def.innerType as z.ZodType);
    case 'string':
      return 'text 繁體 简体';
    case 'number':
      return 7;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return [sampleFor(def.element as z.ZodType)];
    case 'enum':
      return Object.values(def.entries ?? {})[0];
    case 'record':
      return {};
    case 'object':
      return Object.fromEntries(Object.entries((t as z.ZodObject).shape).map(([k, v]) => [k, sampleFor(v as z.ZodType)]));
    default:
      throw new Error(`no sample for zod type ${def.type}`);
  }
}

/** `users/{uid}/goals/{goalId}` → { uid: 'p-uid', goalId: 'p-goalId' } */
export function sampleParams(template: string): Record<string, string> {
  return Object.fromEntries([...template.matchAll(/\{(\w+)\}/g)].map((m) => [m[1] as string, `p-${m[1]}`]));
}
