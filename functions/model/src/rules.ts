import { z } from 'zod';
import type { AnyCollection } from './collection.js';

/**
 * The document shapes of firestore.rules, generated from the zod schemas: one rules function per
 * collection that clients write, checking the exact key set (required keys present, no others) and
 * each field's type, nullability and the size/format limits the schema states. The rules and the
 * converters then reject the same documents, and a schema change that is not regenerated fails
 * the test that compares the committed rules with this output (`npm run rules:shapes`).
 */

export const SHAPES_BEGIN = '    // ---- BEGIN GENERATED document shapes (functions/model/src/rules.ts; `npm run rules:shapes`) ----';
export const SHAPES_END = '    // ---- END GENERATED document shapes ----';

/** `users/{uid}/goals` → `shapeUsersGoals`: unique per collection path (group ids are not: two `badges`). */
export function shapeFunctionName(c: AnyCollection): string {
  const words = c.collection
    .split('/')
    .filter((s) => !s.startsWith('{'))
    .flatMap((s) => s.split('_'));
  return `shape${words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}`;
}

interface Unwrapped {
  inner: z.ZodType;
  nullable: boolean;
  optional: boolean;
}

function unwrap(t: z.ZodType): Unwrapped {
  let nullable = false;
  let optional = false;
  let cur = t;
  for (;;) {
    const def = cur._zod.def as { type: string; innerType?: z.ZodType };
    if (def.type === 'nullable' && def.innerType) {
      nullable = true;
      cur = def.innerType;
    } else if (def.type === 'optional' && def.innerType) {
      optional = true;
      cur = def.innerType;
    } else return { inner: cur, nullable, optional };
  }
}

/** A rules string literal: single-quoted, backslashes and quotes escaped. */
function lit(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function list(values: readonly string[]): string {
  return `[${values.map(lit).join(', ')}]`;
}

interface Check {
  check: string;
  minimum?: number;
  maximum?: number;
  format?: string;
  pattern?: RegExp | string;
}

function stringChecks(t: z.ZodType, v: string): string[] {
  const checks = ((t._zod.def as { checks?: Array<{ _zod: { def: Check } }> }).checks ?? []).map((c) => c._zod.def);
  return checks.map((c) => {
    if (c.check === 'min_length' && c.minimum !== undefined) return `${v}.size() >= ${c.minimum}`;
    if (c.check === 'max_length' && c.maximum !== undefined) return `${v}.size() <= ${c.maximum}`;
    if (c.check === 'string_format' && c.format === 'regex' && c.pattern !== undefined) {
      const source = c.pattern instanceof RegExp ? c.pattern.source : String(c.pattern).replace(/^\/(.*)\/[a-z]*$/, '$1');
      return `${v}.matches(${lit(source)})`;
    }
    // A constraint the generator cannot express would go unchecked by the rules: refuse instead.
    throw new Error(`rules shapes: unsupported string check ${JSON.stringify(c)} on ${v}`);
  });
}

/** The type test of one (unwrapped) field value, or null when any value is allowed (json). */
function typeTest(t: z.ZodType, v: string): string | null {
  const meta = z.globalRegistry.get(t) as { zgType?: string } | undefined;
  switch (meta?.zgType) {
    case 'json':
      return null;
    case 'timestamp':
      return `${v} is timestamp`;
    case 'money_minor':
      return `${v} is int`;
    case undefined:
      break;
    default:
      // uid, currency, date_string, decimal_string: strings with the checks below.
      break;
  }
  const def = t._zod.def as { type: string; element?: z.ZodType; entries?: Record<string, string>; format?: string };
  switch (def.type) {
    case 'string':
      return [`${v} is string`, ...stringChecks(t, v)].join(' && ');
    case 'number':
      return def.format === 'safeint' ? `${v} is int` : `${v} is number`;
    case 'boolean':
      return `${v} is bool`;
    case 'null':
      return `${v} == null`;
    case 'enum':
      return `${v} in ${list(Object.values(def.entries ?? {}))}`;
    case 'array': {
      const el = def.element ? unwrap(def.element).inner : undefined;
      const elDef = el?._zod.def as { type: string; entries?: Record<string, string> } | undefined;
      if (elDef?.type === 'enum') return `${v} is list && ${v}.hasOnly(${list(Object.values(elDef.entries ?? {}))})`;
      // Rules cannot loop over elements; the list type and the converter's check on read remain.
      return `${v} is list`;
    }
    case 'record':
    case 'object':
      return `${v} is map`;
    default:
      throw new Error(`rules shapes: unsupported zod type ${def.type} at ${v}`);
  }
}

function fieldTest(name: string, t: z.ZodType): string | null {
  const { inner, nullable, optional } = unwrap(t);
  const v = `d.${name}`;
  const test = typeTest(inner, v);
  if (test === null) return null;
  const grouped = test.includes(' && ') ? `(${test})` : test;
  let expr = nullable ? `(${v} == null || ${grouped})` : grouped;
  if (optional) expr = `(!(${lit(name)} in d) || ${expr})`;
  return expr;
}

export function renderShapeFunction(c: AnyCollection): string {
  const shape = c.schema.shape as Record<string, z.ZodType>;
  const names = Object.keys(shape);
  const required = names.filter((n) => !unwrap(shape[n] as z.ZodType).optional);
  const terms = [`d.keys().hasAll(${list(required)})`, `d.keys().hasOnly(${list(names)})`];
  for (const n of names) {
    const t = fieldTest(n, shape[n] as z.ZodType);
    if (t) terms.push(t);
  }
  return [`    // ${c.template}`, `    function ${shapeFunctionName(c)}(d) {`, `      return ${terms.join('\n        && ')};`, '    }'].join('\n');
}

/** The generated block, markers included, for the given collections (in the given order). */
export function renderRuleShapes(collections: readonly AnyCollection[]): string {
  const names = new Set<string>();
  for (const c of collections) {
    const n = shapeFunctionName(c);
    if (names.has(n)) throw new Error(`rules shapes: two collections map to ${n}`);
    names.add(n);
  }
  return [SHAPES_BEGIN, ...collections.map(renderShapeFunction), SHAPES_END].join('\n');
}

/** Replace the generated block of a rules file (between the markers) with `block`. */
export function spliceRuleShapes(rulesText: string, block: string): string {
  const start = rulesText.indexOf(SHAPES_BEGIN);
  const end = rulesText.indexOf(SHAPES_END);
  if (start < 0 || end < start) throw new Error('firestore.rules has no generated shapes block (its BEGIN/END markers are missing)');
  return rulesText.slice(0, start) + block + rulesText.slice(end + SHAPES_END.length);
}

/** The rules text outside the generated block (what a person wrote). */
export function handWrittenRules(rulesText: string): string {
  const start = rulesText.indexOf(SHAPES_BEGIN);
  const end = rulesText.indexOf(SHAPES_END);
  if (start < 0 || end < start) return rulesText;
  return rulesText.slice(0, start) + rulesText.slice(end + SHAPES_END.length);
}

/**
 * The collections whose shape functions the hand-written rules call, in `collections` order: the
 * generated block holds exactly these, so it has no function nobody calls (every rules expression
 * must be evaluated by the tests) and none is missing.
 */
export function shapeCollectionsFor(rulesText: string, collections: readonly AnyCollection[]): AnyCollection[] {
  const called = new Set([...handWrittenRules(rulesText).matchAll(/\b(shape[A-Z]\w*)\s*\(/g)].map((m) => m[1] as string));
  const byName = new Map(collections.map((c) => [shapeFunctionName(c), c]));
  const unknown = [...called].filter((n) => !byName.has(n));
  if (unknown.length) throw new Error(`firestore.rules calls shape functions of no model collection: ${unknown.join(', ')}`);
  return collections.filter((c) => called.has(shapeFunctionName(c)));
}

/** firestore.rules with its generated block brought up to date with the model. */
export function regenerateRuleShapes(rulesText: string, collections: readonly AnyCollection[]): string {
  return spliceRuleShapes(rulesText, renderRuleShapes(shapeCollectionsFor(rulesText, collections)));
}
