import { z } from 'zod';
import { JSON_KEY } from './client-writes.js';
import { checksOf, defOf, regexSource, unwrap } from './rules-write.js';

/**
 * Whether a client-write type is at least as strict as the stored type it writes: every value the
 * client form accepts, the stored schema accepts (so readers never meet a client write they cannot
 * read). Checked on the structure of the two zod types, conservatively: a client form that cannot be
 * shown narrower is a problem, even if it happens to be.
 */
export function narrowingProblems(write: z.ZodType, stored: z.ZodType, where: string): string[] {
  const w = unwrap(write);
  const s = unwrap(stored);
  const out: string[] = [];
  if (w.nullable && !s.nullable) out.push(`${where}: may be null, the stored schema says not`);
  if (w.optional && !s.optional) out.push(`${where}: may be absent, the stored schema says not`);
  return [...out, ...innerProblems(w.inner, s.inner, where)];
}

function typeOf(t: z.ZodType): string {
  return defOf(t).type;
}

function zgType(t: z.ZodType): string | undefined {
  return (z.globalRegistry.get(t) as { zgType?: string } | undefined)?.zgType;
}

function innerProblems(w: z.ZodType, s: z.ZodType, where: string): string[] {
  if (typeOf(w) === 'union') {
    return (defOf(w).options ?? []).flatMap((o, i) => narrowingProblems(o, s, `${where}|${i}`));
  }
  const storedMeta = zgType(s);
  if (storedMeta === 'json') return jsonProblems(w, where);
  if (storedMeta === 'timestamp') return zgType(w) === 'timestamp' ? [] : [`${where}: the stored field is a timestamp`];
  if (typeOf(w) === 'enum' || typeOf(w) === 'literal') {
    // A closed set of values: narrower exactly when the stored type takes each of them.
    const values = typeOf(w) === 'literal' ? (defOf(w).values ?? []) : Object.values(defOf(w).entries ?? {});
    return values.every((v) => s.safeParse(v).success) ? [] : [`${where}: values the stored schema refuses`];
  }
  if (typeOf(s) === 'union') {
    const options = defOf(s).options ?? [];
    return options.some((o) => narrowingProblems(w, o, where).length === 0) ? [] : [`${where}: narrows no alternative of the stored union`];
  }
  if (typeOf(w) !== typeOf(s)) return [`${where}: ${typeOf(w)} where the stored schema has ${typeOf(s)}`];
  switch (typeOf(s)) {
    case 'string':
      return stringProblems(w, s, where);
    case 'number':
      return numberProblems(w, s, where);
    case 'array':
      return narrowingProblems(defOf(w).element as z.ZodType, defOf(s).element as z.ZodType, `${where}[]`);
    case 'object': {
      const ws = defOf(w).shape ?? {};
      const ss = defOf(s).shape ?? {};
      return Object.entries(ws).flatMap(([k, t]) =>
        k in ss ? narrowingProblems(t, ss[k] as z.ZodType, `${where}.${k}`) : [`${where}.${k}: no such stored field`],
      );
    }
    case 'boolean':
    case 'null':
      return [];
    default:
      return [`${where}: cannot compare ${typeOf(s)} types`];
  }
}

function stringProblems(w: z.ZodType, s: z.ZodType, where: string): string[] {
  const wc = checksOf(w);
  const bound = (kind: 'min_length' | 'max_length'): number | undefined => {
    const values = wc.filter((c) => c.check === kind).map((c) => (kind === 'min_length' ? c.minimum : c.maximum) as number);
    if (!values.length) return undefined;
    return kind === 'min_length' ? Math.max(...values) : Math.min(...values);
  };
  const out: string[] = [];
  for (const c of checksOf(s)) {
    if (c.check === 'min_length' && !((bound('min_length') ?? 0) >= (c.minimum ?? 0))) out.push(`${where}: shorter than the stored minimum`);
    else if (c.check === 'max_length' && !((bound('max_length') ?? Infinity) <= (c.maximum ?? Infinity))) out.push(`${where}: longer than the stored maximum`);
    else if (c.check === 'string_format' && !wc.some((x) => x.check === 'string_format' && regexSource(x) === regexSource(c))) {
      out.push(`${where}: lacks the stored pattern ${regexSource(c)}`);
    }
  }
  return out;
}

function numberProblems(w: z.ZodType, s: z.ZodType, where: string): string[] {
  const int = (t: z.ZodType): boolean => defOf(t).format === 'safeint';
  const range = (t: z.ZodType): [number, number] => {
    let lo = int(t) ? -Number.MAX_SAFE_INTEGER : -Infinity;
    let hi = int(t) ? Number.MAX_SAFE_INTEGER : Infinity;
    for (const c of checksOf(t)) {
      if (c.check === 'greater_than') lo = Math.max(lo, c.value as number);
      if (c.check === 'less_than') hi = Math.min(hi, c.value as number);
    }
    return [lo, hi];
  };
  if (int(s) && !int(w)) return [`${where}: the stored field is an integer`];
  const [wl, wh] = range(w);
  const [sl, sh] = range(s);
  return wl >= sl && wh <= sh ? [] : [`${where}: outside the stored range`];
}

/** A client form of a json field: JSON values only, stored as they are (no key needs escaping). */
function jsonProblems(w: z.ZodType, where: string): string[] {
  const { inner } = unwrap(w);
  if (zgType(inner) === 'timestamp' || zgType(inner) === 'json') return [`${where}: not a fixed JSON form`];
  const def = defOf(inner);
  switch (def.type) {
    case 'string':
    case 'boolean':
    case 'null':
    case 'enum':
    case 'literal':
      return [];
    case 'number': {
      const checks = checksOf(inner);
      const bounded = checks.some((c) => c.check === 'greater_than') && checks.some((c) => c.check === 'less_than');
      return bounded || defOf(inner).format === 'safeint' ? [] : [`${where}: a JSON number needs bounds`];
    }
    case 'union':
      return (def.options ?? []).flatMap((o, i) => jsonProblems(o, `${where}|${i}`));
    case 'array':
      return jsonProblems(def.element as z.ZodType, `${where}[]`);
    case 'object':
      return Object.entries(def.shape ?? {}).flatMap(([k, t]) => jsonProblems(t, `${where}.${k}`));
    case 'record': {
      const key = checksOf(def.keyType as z.ZodType).find((c) => c.check === 'string_format');
      if (!key || regexSource(key) !== JSON_KEY.source) return [`${where}: map keys must be jsonKey`];
      return jsonProblems(def.valueType as z.ZodType, `${where}{}`);
    }
    default:
      return [`${where}: ${def.type} is no JSON form`];
  }
}
