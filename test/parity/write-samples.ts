/**
 * Values built from a collection's client-write schema (the model's clientWrite), for the
 * poisoning sweep: the MAXIMAL valid document (every optional key present, every string, list and
 * map at its bound, union alternatives rotated so that each is written) and, for every node of it,
 * values that must be refused there (wrong types, non-JSON values, one character / element / key
 * too many, nesting where a scalar belongs).
 */
import { currencyCode, dateString, decimalString, defOf, JSON_KEY, lessonAccessKey, timeZoneName } from '@zhengrowth/model';
import { Bytes, GeoPoint, Timestamp, type DocumentReference } from 'firebase/firestore';
import { z } from 'zod';

const checks = (t: z.ZodType) => (defOf(t).checks ?? []).map((c) => c._zod.def);
const meta = (t: z.ZodType): { zgType?: string; maxKeys?: number } => (z.globalRegistry.get(t) as { zgType?: string; maxKeys?: number }) ?? {};

function regexOf(t: z.ZodType): string | undefined {
  const c = checks(t).find((x) => x.check === 'string_format');
  return c?.pattern?.source;
}

/** A value for each pattern a client-write string may have (a new pattern needs its sample here). */
const PATTERN_SAMPLES = new Map<string, string>(
  [
    [dateString, '2027-06-01'],
    [currencyCode, 'USD'],
    [decimalString, '12.5'],
    [timeZoneName, 'Asia/Taipei'],
    [lessonAccessKey, 'module:m1'],
  ].map(([t, v]) => [regexOf(t as z.ZodType) as string, v as string]),
);

export function unwrapped(t: z.ZodType): { inner: z.ZodType; nullable: boolean; optional: boolean } {
  let nullable = false;
  let optional = false;
  let cur = t;
  for (;;) {
    const d = defOf(cur);
    if (d.type === 'nullable') nullable = true;
    else if (d.type === 'optional') optional = true;
    else return { inner: cur, nullable, optional };
    cur = d.innerType as z.ZodType;
  }
}

function bound(t: z.ZodType, kind: 'max_length' | 'min_length' | 'less_than' | 'greater_than'): number | undefined {
  const c = checks(t).find((x) => x.check === kind);
  return kind === 'max_length' ? c?.maximum : kind === 'min_length' ? c?.minimum : c?.value;
}

export const WORST_CASE = -1;
const next = (variant: number, i: number): number => (variant === WORST_CASE ? WORST_CASE : variant + i);

const KEY = (i: number): string => `k${String(i).padStart(2, '0')}`;

/**
 * The maximal valid value of a client-write type (`compact`: the same structure, every string,
 * list and map at its smallest non-empty size, the base the poisons are written on). `variant` rotates union alternatives (element i
 * of a list or map takes alternative variant + i), so variants 0..3 write every alternative;
 * WORST_CASE takes the last alternative everywhere (the one the rules test after all the others:
 * the costliest value to check).
 */
export function maximal(t: z.ZodType, variant = 0, compact = false): unknown {
  const { inner } = unwrapped(t);
  if (meta(inner).zgType === 'timestamp') return Timestamp.fromMillis(1_900_000_000_000);
  const d = defOf(inner);
  switch (d.type) {
    case 'string': {
      const pattern = regexOf(inner);
      if (pattern === JSON_KEY.source) return 'k';
      if (pattern !== undefined) {
        const sample = PATTERN_SAMPLES.get(pattern);
        if (sample === undefined) throw new Error(`no sample for the pattern ${pattern}: add one to PATTERN_SAMPLES`);
        return sample;
      }
      return 'x'.repeat(compact ? Math.max(1, bound(inner, 'min_length') ?? 1) : (bound(inner, 'max_length') ?? 10));
    }
    case 'number': {
      const lo = bound(inner, 'greater_than') ?? -Number.MAX_SAFE_INTEGER;
      const hi = bound(inner, 'less_than') ?? Number.MAX_SAFE_INTEGER;
      if (d.format === 'safeint') return hi;
      return lo <= 0.5 && 0.5 <= hi ? 0.5 : lo;
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'enum': {
      const values = Object.values(d.entries ?? {});
      return values[Math.max(0, variant) % values.length];
    }
    case 'literal':
      return d.values?.[0];
    case 'union': {
      const options = d.options ?? [];
      const pick = variant === WORST_CASE ? options.length - 1 : variant % options.length;
      return maximal(options[pick] as z.ZodType, variant, compact);
    }
    case 'array': {
      const n = compact ? 1 : (bound(inner, 'max_length') ?? 1);
      return Array.from({ length: n }, (_, i) => maximal(d.element as z.ZodType, next(variant, i), compact));
    }
    case 'object':
      return Object.fromEntries(Object.entries(d.shape ?? {}).map(([k, v]) => [k, maximal(v, variant, compact)]));
    case 'record': {
      const n = compact ? 1 : (meta(inner).maxKeys ?? 1);
      return Object.fromEntries(Array.from({ length: n }, (_, i) => [KEY(i), maximal(d.valueType as z.ZodType, next(variant, i), compact)]));
    }
    default:
      throw new Error(`no maximal sample for zod type ${d.type}`);
  }
}

export type Path = ReadonlyArray<string | number>;

export interface Poison {
  /** Where in the document (top-level field first). */
  path: Path;
  value: unknown;
  label: string;
}

/**
 * Values that are never a valid client write anywhere: nothing in the model is a GeoPoint, bytes or
 * a reference, no number is NaN or infinite, and nothing nests a map where a list, map or scalar of
 * a json form sits.
 */
function foreignValues(ref: DocumentReference): Array<[string, unknown]> {
  return [
    ['NaN', NaN],
    ['-Infinity', -Infinity],
    ['a nested map', { deep: { deeper: 'x' } }],
    ['a GeoPoint', new GeoPoint(25.03, 121.56)],
    ['bytes', Bytes.fromUint8Array(new Uint8Array([1, 2, 3]))],
    ['a document reference', ref],
  ];
}

const STRUCTURED = new Set(['array', 'object', 'record', 'union']);

/**
 * The values that must be refused at a node of type `t` (whose valid value is `good`) and below it,
 * each a whole replacement of the value at its path:
 * - at a list, map or json field itself: every foreign value, a Timestamp, and its own kind's (one
 *   element or key too many, a bad key, an unknown key, text for a list…);
 * - inside one (every element type of every list, every key of every fixed map, a flat map's
 *   values): a Timestamp, NaN and the node type's own poisons;
 * - at a plain field: a Timestamp (or text, for a timestamp), NaN for numbers, its type's poisons.
 */
export function poisons(t: z.ZodType, good: unknown, path: Path, ref: DocumentReference): Poison[] {
  const { inner } = unwrapped(t);
  const out: Poison[] = [];
  const add = (label: string, value: unknown, at: Path = path): void => {
    out.push({ path: at, value, label: `${at.join('.')}: ${label}` });
  };
  // Firestore holds no list directly in a list: inside a list, a list is no value a client can send.
  const inList = typeof path[path.length - 1] === 'number';
  const list = (label: string, value: unknown[]): void => {
    if (!inList) add(label, value);
  };
  const isTimestamp = meta(inner).zgType === 'timestamp';
  const d = defOf(inner);
  if (path.length === 1 && STRUCTURED.has(d.type)) for (const [label, v] of foreignValues(ref)) add(label, v);
  else if (path.length > 1 || d.type === 'number') add('NaN', NaN);
  if (!isTimestamp) add('a Timestamp', Timestamp.fromMillis(0));
  switch (isTimestamp ? 'timestamp' : d.type) {
    case 'timestamp':
      add('text for a timestamp', '2025-01-01T00:00:00Z');
      break;
    case 'string': {
      add('a number for text', 42);
      const max = bound(inner, 'max_length');
      if (max !== undefined && regexOf(inner) === undefined) add(`${max + 1} characters`, 'y'.repeat(max + 1));
      if (regexOf(inner) !== undefined) add('text off its pattern', 'not matching!');
      break;
    }
    case 'number': {
      add('text for a number', '7');
      const hi = bound(inner, 'less_than');
      if (d.format === 'safeint') {
        add('a fraction for an integer', 1.5);
        add(
          hi !== undefined && hi < Number.MAX_SAFE_INTEGER ? 'one above the maximum' : 'an integer beyond 2^53',
          hi !== undefined && hi < Number.MAX_SAFE_INTEGER ? hi + 1 : 2 ** 60,
        );
      } else add('a number beyond ±2^53', 1e300);
      break;
    }
    case 'boolean':
      add('text for a boolean', 'true');
      break;
    case 'enum':
      add('a value outside the enum', 'not-a-choice');
      break;
    case 'union':
      // Each alternative's own poisons would be valid for another alternative; the foreign values suffice.
      list('a list for a scalar', ['x']);
      break;
    case 'array': {
      const items = good as unknown[];
      const max = bound(inner, 'max_length') ?? 0;
      add('text for a list', 'x');
      list(
        `${max + 1} elements`,
        Array.from({ length: max + 1 }, (_, i) => items[i % Math.max(1, items.length)] ?? 'x'),
      );
      for (const p of poisons(d.element as z.ZodType, items[0], [...path, 0], ref)) out.push(p);
      break;
    }
    case 'object': {
      const obj = good as Record<string, unknown>;
      add('an unknown key', { ...obj, zz_unknown: 1 });
      list('a list for a map', ['x']);
      for (const [k, v] of Object.entries(d.shape ?? {})) for (const p of poisons(v, obj[k], [...path, k], ref)) out.push(p);
      break;
    }
    case 'record': {
      const obj = good as Record<string, unknown>;
      const max = meta(inner).maxKeys ?? 0;
      add(`${max + 1} keys`, { ...obj, ...Object.fromEntries(Array.from({ length: max + 1 }, (_, i) => [`z${i}`, 1])) });
      add('a key with a space', { ...obj, 'bad key': 1 });
      add('a key with a comma (two keys when joined)', { 'a,b': 1 });
      add('an escaped-looking key', { '~array': 1 });
      list('a list for a map', ['x']);
      const first = Object.keys(obj)[0];
      if (first !== undefined) for (const p of poisons(d.valueType as z.ZodType, obj[first], [...path, first], ref)) out.push(p);
      break;
    }
    default:
      break;
  }
  return out;
}

/** Whether a client-write type has a list, map or union anywhere (those are what the sweep updates). */
export function isStructured(t: z.ZodType): boolean {
  return STRUCTURED.has(defOf(unwrapped(t).inner).type);
}

/** Whether a union appears anywhere in a type (only then do variants 1..3 write anything new). */
export function hasUnion(t: z.ZodType): boolean {
  const d = defOf(unwrapped(t).inner);
  if (d.type === 'union') return true;
  if (d.type === 'array') return hasUnion(d.element as z.ZodType);
  if (d.type === 'record') return hasUnion(d.valueType as z.ZodType);
  if (d.type === 'object') return Object.values(d.shape ?? {}).some(hasUnion);
  return false;
}

/** `doc` with the value at `path` replaced (copies on the way; the input is not changed). */
export function replaceAt(doc: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(doc) ? [...(doc as unknown[])] : { ...doc };
  const key = head as string & number;
  (copy as Record<string, unknown>)[key] =
    rest.length === 0 ? value : replaceAt((copy as Record<string, unknown>)[key] as Record<string, unknown>, rest, value);
  return copy as Record<string, unknown>;
}
