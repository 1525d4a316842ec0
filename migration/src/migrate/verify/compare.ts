/** Field-by-field comparison of an expected document with the one Firestore holds. */
import { isTimestampLike, type AnyCollection } from '@zhengrowth/model';

export function show(v: unknown): string {
  if (v === undefined) return '(absent)';
  if (isTimestampLike(v)) return `Timestamp(${v.seconds}, ${v.nanoseconds})`;
  const s = JSON.stringify(v, (_k, x: unknown) => (isTimestampLike(x) ? `Timestamp(${x.seconds}, ${x.nanoseconds})` : x));
  return s === undefined ? `(${typeof v})` : s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

/** The first difference between an expected and an actual value, as a dotted path; null when equal. */
export function firstDifference(expected: unknown, actual: unknown, path = ''): string | null {
  if (isTimestampLike(expected) || isTimestampLike(actual)) {
    return isTimestampLike(expected) && isTimestampLike(actual) && expected.seconds === actual.seconds && expected.nanoseconds === actual.nanoseconds
      ? null
      : path;
  }
  if (typeof expected === 'number' && typeof actual === 'number') return expected === actual || (Number.isNaN(expected) && Number.isNaN(actual)) ? null : path;
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual) || expected.length !== actual.length) return path;
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (typeof expected === 'object' && expected !== null && typeof actual === 'object' && actual !== null) {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const keys = new Set([...Object.keys(e), ...Object.keys(a)]);
    for (const k of keys) {
      if (!(k in e) || !(k in a)) return path ? `${path}.${k}` : k;
      const d = firstDifference(e[k], a[k], path ? `${path}.${k}` : k);
      if (d !== null) return d;
    }
    return null;
  }
  return expected === actual ? null : path;
}

export function valueAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split(/\.|(?=\[)/)) {
    if (cur === null || cur === undefined) return undefined;
    const m = /^\[(\d+)\]$/.exec(part);
    cur = m ? (cur as unknown[])[Number(m[1])] : (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Matches the document paths of a collection template (`users/[^/]+/goals/[^/]+`). */
export function templateRegex(c: AnyCollection): RegExp {
  return new RegExp(
    `^${c.template
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace(/\\?\{\w+\\?\}/g, '[^/]+')
      .replace(/\{\w+\}/g, '[^/]+')}$`,
  );
}
