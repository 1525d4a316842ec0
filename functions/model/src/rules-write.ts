import { z } from 'zod';
import { JSON_KEY } from './client-writes.js';

/**
 * Renders a zod client-write type (client-writes.ts) as security-rules expressions: the check of one
 * value, and the helper functions it needs. Rules have no loops, so a list is checked element by
 * element up to its maximum length, and a flat map through `values()` up to its maximum number of
 * keys (its keys all at once: joined with commas, matched, and counted back). Anything the rules
 * cannot check to the zod type's standard (an unbounded string or list, a json value, an open
 * object, a record without a key bound) is refused with the field's name, never left unchecked.
 *
 * Rules also cap one request at 1,000 evaluated expressions: every function is given a worst-case
 * cost (its expression count with its callees' costs), so that the caller can keep each collection's
 * write check within a budget.
 */

export class RulesRenderError extends Error {
  constructor(where: string, problem: string) {
    super(`rules writes: ${where}: ${problem}`);
    this.name = 'RulesRenderError';
  }
}

/** What `matches()` of rules and zod's regex checks share, as a rules string literal. */
export function rulesLiteral(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function rulesList(values: readonly (string | number | boolean)[]): string {
  return `[${values.map((v) => (typeof v === 'string' ? rulesLiteral(v) : String(v))).join(', ')}]`;
}

const RESERVED = new Set(['allow', 'match', 'function', 'return', 'if', 'let', 'service', 'true', 'false', 'null', 'in', 'is', 'rules_version']);

/** `v.key`, or `v['key']` when the key is no plain identifier. */
export function member(v: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !RESERVED.has(key) ? `${v}.${key}` : `${v}[${rulesLiteral(key)}]`;
}

/** The parts of a zod definition the renderer reads (zod's own types are one per kind). */
export interface LooseDef {
  type: string;
  format?: string;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  entries?: Record<string, string>;
  values?: unknown[];
  checks?: Array<{ _zod: { def: { check: string; maximum?: number; minimum?: number; value?: number; pattern?: RegExp } } }>;
}

export function defOf(t: z.ZodType): LooseDef {
  return t._zod.def;
}

interface Unwrapped {
  inner: z.ZodType;
  nullable: boolean;
  optional: boolean;
}

export function unwrap(t: z.ZodType): Unwrapped {
  let nullable = false;
  let optional = false;
  let cur = t;
  for (;;) {
    const def = cur._zod.def as { type: string; innerType?: z.ZodType };
    if (def.type === 'nullable' && def.innerType) nullable = true;
    else if (def.type === 'optional' && def.innerType) optional = true;
    else return { inner: cur, nullable, optional };
    cur = def.innerType;
  }
}

interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp | string;
}

export function checksOf(t: z.ZodType): CheckDef[] {
  return ((t._zod.def as { checks?: Array<{ _zod: { def: CheckDef } }> }).checks ?? []).map((c) => c._zod.def);
}

export function regexSource(c: CheckDef): string {
  return c.pattern instanceof RegExp ? c.pattern.source : String(c.pattern).replace(/^\/(.*)\/[a-z]*$/, '$1');
}

/** A regex that cannot match unbounded text (no `*`, `+` or open `{n,}`). */
function boundedRegex(source: string): boolean {
  return !/(^|[^\\])[*+]|\{\d+,\}/.test(source);
}

function metaOf(t: z.ZodType): { zgType?: string; rulesName?: string; maxKeys?: number } {
  return (z.globalRegistry.get(t) as { zgType?: string; rulesName?: string; maxKeys?: number } | undefined) ?? {};
}

/** Expression count of a rules expression's text (operands and operators; calls counted separately). */
export function expressionCount(text: string): number {
  const withoutStrings = text.replace(/'(?:[^'\\]|\\.)*'/g, ' s ').replace(/\bis [a-z]+\b/g, 'is');
  return (withoutStrings.match(/[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|==|!=|<=|>=|&&|\|\||[<>!?]/g) ?? []).length;
}

export interface RulesFunction {
  name: string;
  param: string;
  /** The terms of the body, joined with `&&`. */
  terms: string[];
  comment?: string;
  /** Worst-case cost when the body's text overstates it (a union: only one alternative gets past its type test). */
  cost?: number;
}

/**
 * Collects the helper functions a rendering needs. A helper is named after the field it checks
 * (`writeCommunityPosts_tags`, `…_item` for a list's elements); shared building blocks (`rulesName`
 * metadata: jsonScalar, flatJson) by their metadata, emitted once however many collections use them.
 */
export class RulesWriter {
  readonly functions = new Map<string, RulesFunction>();

  add(fn: RulesFunction): string {
    const prev = this.functions.get(fn.name);
    if (prev && prev.terms.join('&&') !== fn.terms.join('&&')) throw new RulesRenderError(fn.name, 'two different checks would share this function name');
    if (!prev) this.functions.set(fn.name, fn);
    return fn.name;
  }

  render(fn: RulesFunction): string {
    const lines = [`    function ${fn.name}(${fn.param}) {`, `      return ${fn.terms.join('\n        && ')};`, '    }'];
    return (fn.comment ? [`    // ${fn.comment}`, ...lines] : lines).join('\n');
  }

  /** Worst-case expressions evaluated by a call of `name` (its body and, for every call in it, the callee's). */
  cost(name: string, seen: ReadonlySet<string> = new Set()): number {
    const fn = this.functions.get(name);
    if (!fn) return 0;
    if (seen.has(name)) throw new RulesRenderError(name, 'rules functions cannot recurse');
    return fn.cost ?? this.textCost(fn.terms.join(' && '), new Set([...seen, name]));
  }

  /** Expressions of a text, with the cost of every helper function it calls. */
  textCost(text: string, seen: ReadonlySet<string> = new Set()): number {
    let total = expressionCount(text);
    for (const m of text.matchAll(/\b([A-Za-z_]\w*)\(/g)) {
      const callee = m[1] as string;
      if (this.functions.has(callee)) total += this.cost(callee, seen);
    }
    return total;
  }

  /**
   * A union's worst case: a valid value fails the other alternatives at their first test (the type
   * test), so every alternative's first test plus the costliest alternative's rest.
   */
  private unionCost(alternatives: readonly string[]): number {
    const firstTest = (a: string): string => (a.startsWith('(') && a.includes(' && ') ? a.slice(1, a.indexOf(' && ')) : a);
    const parts = alternatives.map((a) => ({ first: this.textCost(firstTest(a)), full: this.textCost(a) }));
    return 2 + parts.reduce((n, p) => n + p.first + 1, 0) + Math.max(0, ...parts.map((p) => p.full - p.first));
  }

  /** The check that value `v` (a rules expression) meets type `t`; `name` names helpers made for it. */
  check(t: z.ZodType, v: string, name: string): string {
    const { inner, nullable } = unwrap(t);
    const test = this.inner(inner, v, name);
    return nullable ? `(${v} == null || ${test})` : test;
  }

  private inner(t: z.ZodType, v: string, name: string): string {
    const meta = metaOf(t);
    if (meta.zgType === 'timestamp') return `${v} is timestamp`;
    if (meta.zgType === 'json') {
      throw new RulesRenderError(name, 'a json field needs a rules-checkable client form (a fixed object, a bounded list, flatJson) in clientWrite');
    }
    const def = defOf(t);
    const fnName = meta.rulesName ?? name;
    switch (def.type) {
      case 'union': {
        const alternatives = (defOf(t).options ?? []).map((o, i) => this.check(o, 'v', `${fnName}_${i}`));
        return `${this.add({ name: fnName, param: 'v', terms: [`(${alternatives.join(' || ')})`], cost: this.unionCost(alternatives) })}(${v})`;
      }
      case 'array':
      case 'object':
      case 'record':
        return `${this.add({ name: fnName, param: 'v', terms: this.structure(t, 'v', fnName) })}(${v})`;
      default:
        return this.scalar(t, v, name);
    }
  }

  private scalar(t: z.ZodType, v: string, name: string): string {
    const def = t._zod.def as { type: string; format?: string; entries?: Record<string, string>; values?: unknown[] };
    switch (def.type) {
      case 'string':
        return group([`${v} is string`, ...this.stringChecks(t, v, name)]);
      case 'number':
        return group(this.numberChecks(t, v, name, def.format === 'safeint'));
      case 'boolean':
        return `${v} is bool`;
      case 'null':
        return `${v} == null`;
      case 'enum':
        return `${v} in ${rulesList(Object.values(def.entries ?? {}))}`;
      case 'literal': {
        const values = (def.values ?? []) as Array<string | number | boolean>;
        if (!values.every((x) => ['string', 'number', 'boolean'].includes(typeof x))) throw new RulesRenderError(name, 'unsupported literal');
        return values.length === 1 ? `${v} == ${rulesList(values).slice(1, -1)}` : `${v} in ${rulesList(values)}`;
      }
      default:
        throw new RulesRenderError(name, `unsupported zod type ${def.type}`);
    }
  }

  private stringChecks(t: z.ZodType, v: string, name: string): string[] {
    const out: string[] = [];
    let bounded = false;
    for (const c of checksOf(t)) {
      if (c.check === 'min_length' && c.minimum !== undefined) out.push(`${v}.size() >= ${c.minimum}`);
      else if (c.check === 'max_length' && c.maximum !== undefined) {
        out.push(`${v}.size() <= ${c.maximum}`);
        bounded = true;
      } else if (c.check === 'string_format' && c.format === 'regex' && c.pattern !== undefined) {
        const source = regexSource(c);
        out.push(`${v}.matches(${rulesLiteral(source)})`);
        if (boundedRegex(source)) bounded = true;
      } else throw new RulesRenderError(name, `unsupported string check ${JSON.stringify(c)}`);
    }
    if (!bounded) throw new RulesRenderError(name, 'a string a client writes needs a maximum length (text(n) in clientWrite)');
    return out;
  }

  private numberChecks(t: z.ZodType, v: string, name: string, int: boolean): string[] {
    let lo: string | null = int ? `${v} >= -${Number.MAX_SAFE_INTEGER}` : null;
    let hi: string | null = int ? `${v} <= ${Number.MAX_SAFE_INTEGER}` : null;
    for (const c of checksOf(t)) {
      if (c.check === 'greater_than' && c.value !== undefined) lo = `${v} ${c.inclusive ? '>=' : '>'} ${c.value}`;
      else if (c.check === 'less_than' && c.value !== undefined) hi = `${v} ${c.inclusive ? '<=' : '<'} ${c.value}`;
      else if (c.check !== 'number_format') throw new RulesRenderError(name, `unsupported number check ${JSON.stringify(c)}`);
    }
    // A comparison is false for NaN and bounds ±Infinity: both bounds make a double finite.
    if (!lo || !hi) throw new RulesRenderError(name, 'a number a client writes needs both bounds (clientNumber in clientWrite)');
    return [`${v} is ${int ? 'int' : 'number'}`, lo, hi];
  }

  /** The terms of a helper function over parameter `p` for a list, object or record type. */
  private structure(t: z.ZodType, p: string, name: string): string[] {
    const def = t._zod.def as {
      type: string;
      options?: z.ZodType[];
      element?: z.ZodType;
      shape?: Record<string, z.ZodType>;
      catchall?: z.ZodType;
      keyType?: z.ZodType;
      valueType?: z.ZodType;
    };
    switch (def.type) {
      case 'array':
        return this.listTerms(t, def.element as z.ZodType, p, name);
      case 'object':
        return this.objectTerms(def.shape ?? {}, def.catchall, p, name);
      case 'record':
        return this.recordTerms(t, def.keyType as z.ZodType, def.valueType as z.ZodType, p, name);
      default:
        throw new RulesRenderError(name, `unsupported zod type ${def.type}`);
    }
  }

  private listTerms(t: z.ZodType, element: z.ZodType, p: string, name: string): string[] {
    let max: number | undefined;
    const terms = [`${p} is list`];
    for (const c of checksOf(t)) {
      if (c.check === 'max_length' && c.maximum !== undefined) max = c.maximum;
      else if (c.check === 'min_length' && c.minimum !== undefined) terms.push(`${p}.size() >= ${c.minimum}`);
      else throw new RulesRenderError(name, `unsupported list check ${JSON.stringify(c)}`);
    }
    if (max === undefined) throw new RulesRenderError(name, 'a list a client writes needs a maximum length (rules check it element by element)');
    if ((unwrap(element).inner._zod.def as { type: string }).type === 'array') throw new RulesRenderError(name, 'Firestore holds no list directly in a list');
    terms.push(`${p}.size() <= ${max}`);
    for (let i = 0; i < max; i++) terms.push(`(${p}.size() <= ${i} || ${this.check(element, `${p}[${i}]`, `${name}_item`)})`);
    return terms;
  }

  private objectTerms(shape: Record<string, z.ZodType>, catchall: z.ZodType | undefined, p: string, name: string): string[] {
    if ((catchall?._zod.def as { type?: string } | undefined)?.type !== 'never') {
      throw new RulesRenderError(name, 'an object a client writes must be strict (z.strictObject): rules check its exact keys');
    }
    const keys = Object.keys(shape);
    const required = keys.filter((k) => !unwrap(shape[k] as z.ZodType).optional);
    const terms = [`${p} is map`, `${p}.keys().hasOnly(${rulesList(keys)})`];
    if (required.length) terms.push(`${p}.keys().hasAll(${rulesList(required)})`);
    for (const k of keys) {
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(k)) throw new RulesRenderError(`${name}.${k}`, 'a key of a client-written map needs no JSON key escaping');
      const t = shape[k] as z.ZodType;
      const test = this.check(t, member(p, k), `${name}_${k}`);
      terms.push(unwrap(t).optional ? `(!(${rulesLiteral(k)} in ${p}) || ${test})` : test);
    }
    return terms;
  }

  private recordTerms(t: z.ZodType, keyType: z.ZodType, valueType: z.ZodType, p: string, name: string): string[] {
    const maxKeys = metaOf(t).maxKeys;
    if (maxKeys === undefined) throw new RulesRenderError(name, 'a map a client writes needs a key bound (flatJson): rules check it value by value');
    const keyChecks = checksOf(keyType);
    const regex = keyChecks.find((c) => c.check === 'string_format' && c.format === 'regex');
    // Keys are checked all at once, joined with commas: the key pattern must be one that has no comma.
    if (!regex || keyChecks.length !== 1 || regexSource(regex) !== JSON_KEY.source) throw new RulesRenderError(name, 'map keys must be jsonKey');
    const key = regexSource(regex).slice(1, -1);
    const joined = `${p}.keys().join(',')`;
    const valuesFn = this.add({
      name: `${name}_values`,
      param: 'l',
      terms: Array.from({ length: maxKeys }, (_, i) => `(l.size() <= ${i} || ${this.check(valueType, `l[${i}]`, `${name}_value`)})`),
    });
    return [
      `${p} is map`,
      `${p}.size() <= ${maxKeys}`,
      // Every key matches, and none hides a comma (the split would find more keys than the map has).
      `(${p}.size() == 0 || (${joined}.matches(${rulesLiteral(`^(?:${key})(?:,(?:${key}))*$`)}) && ${joined}.split(',').size() == ${p}.size()))`,
      `${valuesFn}(${p}.values())`,
    ];
  }
}

/** `a && b` grouped so that it can stand inside `||`. */
function group(terms: string[]): string {
  return terms.length === 1 ? (terms[0] as string) : `(${terms.join(' && ')})`;
}
