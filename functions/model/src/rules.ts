import type { z } from 'zod';
import type { AnyCollection } from './collection.js';
import { member, rulesList, rulesLiteral, RulesRenderError, RulesWriter, unwrap, type RulesFunction } from './rules-write.js';
import { narrowingProblems } from './write-narrowing.js';

/**
 * The generated block of firestore.rules, from the model: for every collection that clients write,
 * - `shapeX(d)`: the stored document's exact key set (required keys present, no others), and
 * - `writeX(d, k)`: the fields in `k` (those the write sets) are fields a client may write, each to
 *   the collection's clientWrite schema (client-writes.ts): types, nullability, bounded strings,
 *   lists checked element by element, json fields in their fixed forms (rules-write.ts renders them).
 * A match block that lets a client write calls both, with `writtenKeys()` (all keys on create, the
 * changed ones on update). A schema change that is not regenerated fails the test that compares the
 * committed rules with this output (`npm run rules:shapes`); a client-write schema the rules cannot
 * check, or one that is not narrower than the stored schema, fails the generation itself.
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

/** The shape of a stored document: its exact key set (required keys present, no others). */
export function renderShapeFunction(c: AnyCollection): string {
  const shape = c.schema.shape as Record<string, z.ZodType>;
  const names = Object.keys(shape);
  const required = names.filter((n) => !unwrap(shape[n] as z.ZodType).optional);
  const terms = [`d.keys().hasAll(${rulesList(required)})`, `d.keys().hasOnly(${rulesList(names)})`];
  return [`    // ${c.template}`, `    function ${shapeFunctionName(c)}(d) {`, `      return ${terms.join('\n        && ')};`, '    }'].join('\n');
}

/** `shapeUsersGoals` → `writeUsersGoals`. */
export function writeFunctionName(c: AnyCollection): string {
  return `write${shapeFunctionName(c).slice('shape'.length)}`;
}

/**
 * Rules allow at most 1,000 evaluated expressions per request: the worst case of a collection's
 * write check (every list and map at its maximum) stays within this, leaving room for the
 * hand-written conditions of its match block.
 */
export const WRITE_CHECK_BUDGET = 660;

/**
 * The write check of a collection (`writeX(d, k)`): the keys in `k` (the fields this write sets) are
 * fields a client may write, and each of them in `d` meets the collection's clientWrite schema.
 * Helper functions go to `writer`.
 */
export function renderWriteFunction(c: AnyCollection, writer: RulesWriter): RulesFunction {
  const name = writeFunctionName(c);
  const write = c.clientWrite;
  if (!write) throw new RulesRenderError(c.template, 'firestore.rules lets clients write it, but the model declares no clientWrite schema');
  const stored = c.schema.shape as Record<string, z.ZodType>;
  const fields = write.shape as Record<string, z.ZodType>;
  const problems = Object.entries(fields).flatMap(([f, t]) =>
    f in stored ? narrowingProblems(t, stored[f] as z.ZodType, `${c.template} ${f}`) : [`${c.template} ${f}: no such stored field`],
  );
  if (problems.length) throw new RulesRenderError(c.template, `clientWrite is not narrower than the stored schema: ${problems.join('; ')}`);
  const terms = [`k.hasOnly(${rulesList(Object.keys(fields))})`];
  for (const [f, t] of Object.entries(fields)) {
    const test = writer.check(t, member('d', f), `${name}_${f}`);
    // A removed optional field is checked by the shape (it may be absent), not here.
    const present = unwrap(t).optional ? `!(${rulesLiteral(f)} in d) || ` : '';
    terms.push(`(!(${rulesLiteral(f)} in k) || ${present}${test})`);
  }
  const fn: RulesFunction = { name, param: 'd, k', terms, comment: `${c.template}: the fields in k, to the client-write standard` };
  writer.add(fn);
  const cost = writer.cost(name);
  if (cost > WRITE_CHECK_BUDGET) {
    throw new RulesRenderError(c.template, `its write check costs up to ${cost} rules expressions (budget ${WRITE_CHECK_BUDGET}): lower a list or map bound`);
  }
  return fn;
}

/** The generated block, markers included, for the given collections (in the given order). */
export function renderRuleShapes(collections: readonly AnyCollection[]): string {
  const names = new Set<string>();
  for (const c of collections) {
    const n = shapeFunctionName(c);
    if (names.has(n)) throw new Error(`rules shapes: two collections map to ${n}`);
    names.add(n);
  }
  const writer = new RulesWriter();
  const perCollection = collections.map((c) => ({ c, write: renderWriteFunction(c, writer) }));
  const own = (fn: RulesFunction, c: AnyCollection): boolean => fn.name.startsWith(`${writeFunctionName(c)}_`);
  const shared = [...writer.functions.values()].filter((fn) => !fn.name.startsWith('write'));
  const parts = [SHAPES_BEGIN];
  if (shared.length) parts.push('    // Building blocks of the client-write checks (client-writes.ts).', ...shared.map((fn) => writer.render(fn)));
  for (const { c, write } of perCollection) {
    const helpers = [...writer.functions.values()].filter((fn) => own(fn, c));
    parts.push(renderShapeFunction(c), writer.render(write), ...helpers.map((fn) => writer.render(fn)));
  }
  parts.push(SHAPES_END);
  return parts.join('\n');
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
  const called = new Set([...handWrittenRules(rulesText).matchAll(/\b(?:shape|write)([A-Z]\w*)\s*\(/g)].map((m) => `shape${m[1] as string}`));
  const byName = new Map(collections.map((c) => [shapeFunctionName(c), c]));
  const unknown = [...called].filter((n) => !byName.has(n));
  if (unknown.length) throw new Error(`firestore.rules calls shape or write functions of no model collection: ${unknown.join(', ')}`);
  return collections.filter((c) => called.has(shapeFunctionName(c)));
}

/** firestore.rules with its generated block brought up to date with the model. */
export function regenerateRuleShapes(rulesText: string, collections: readonly AnyCollection[]): string {
  return spliceRuleShapes(rulesText, renderRuleShapes(shapeCollectionsFor(rulesText, collections)));
}
