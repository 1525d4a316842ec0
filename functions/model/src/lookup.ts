/**
 * A lookup that must succeed: the key was put there by the same code a moment ago (a map built from
 * the list being walked). If it is missing, that is a bug, and it fails loudly with what was
 * looked for instead of carrying `undefined` on as if it were the value (what an `as T` cast does).
 */
export function mustGet<K, V>(map: ReadonlyMap<K, V>, key: K, what = 'entry'): V {
  if (!map.has(key)) throw new Error(`internal: no ${what} for ${JSON.stringify(key) ?? String(key)}`);
  return map.get(key) as V;
}
