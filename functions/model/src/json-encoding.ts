/**
 * The lossless encoding of JSON (PostgreSQL jsonb) values into what a Firestore field can hold,
 * and its inverse. Firestore cannot hold everything JSON can: an array directly inside an array,
 * an empty map key, a key matching `__.*__` (reserved), and it keeps no difference between SQL NULL
 * and the JSON value `null` in a field. The rules (docs/firestore-model.md, "JSON values"):
 *
 * - A map key that is empty, matches `__.*__` or starts with `~` gets one more `~` in front
 *   ("" → "~", "__id__" → "~__id__", "~x" → "~~x"). Decoding removes one leading `~` from every
 *   key that has one, so no original key can be mistaken for an escaped one.
 * - An array directly inside an array becomes the map `{"~array": [...]}` (its items encoded the same way).
 * - A jsonb value that is JSON `null` as a whole becomes `{"~null": true}`, because a Firestore
 *   null field means SQL NULL. `null` inside a map or array stays null.
 * - A map whose only key is `~array` or `~null` is always one of these wrappers: an original key
 *   `~array` would have been escaped to `~~array`.
 *
 * Values that cannot be encoded are refused with a JsonEncodingError, never changed: a number that
 * is not finite, a key whose field path is longer than Firestore's 1,500 bytes (the UTF-8 bytes of
 * the document field's name and every map key on the way, joined by dots; array items add no
 * segment), or nesting deeper than Firestore's 20 levels of maps and arrays once encoded (the
 * document's field is level 1). The encoding adds depth only where an array sits directly in an
 * array (the wrapper map is one more level).
 *
 * This module is imported by the migration (encode) and by the web app (decode); it has no
 * dependencies.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The constants of the encoding, for documentation and for code that must recognise wrappers. */
export const JSON_ENCODING = {
  /** Prefix that escapes a key (and marks the wrappers). */
  escape: '~',
  /** Key of the map that stands for an array nested directly in an array. */
  arrayKey: '~array',
  /** Key of the map that stands for a whole jsonb value that is JSON null. */
  nullKey: '~null',
  /** Firestore's maximum depth of maps and arrays (a document's top-level field is level 1). */
  maxDepth: 20,
  /** Firestore's maximum field path size (names joined by dots), in UTF-8 bytes. */
  maxPathBytes: 1500,
} as const;

export class JsonEncodingError extends Error {
  constructor(
    message: string,
    /** Where in the value, as a JSON-pointer-like path ("/a/0/b"). */
    readonly at: string,
  ) {
    super(at ? `${message} at ${at}` : message);
    this.name = 'JsonEncodingError';
  }
}

const RESERVED = /^__.*__$/s;

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      // A surrogate pair: one 4-byte character.
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** True when a map key must be escaped. */
export function needsKeyEscape(key: string): boolean {
  return key === '' || key.startsWith(JSON_ENCODING.escape) || RESERVED.test(key);
}

export function escapeKey(key: string): string {
  return needsKeyEscape(key) ? `${JSON_ENCODING.escape}${key}` : key;
}

export function unescapeKey(key: string): string {
  return key.startsWith(JSON_ENCODING.escape) ? key.slice(1) : key;
}

function pointer(path: readonly (string | number)[]): string {
  return path.length === 0 ? '' : `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export interface EncodeOptions {
  /** The name of the document field that holds the value (its bytes count towards the path limit). */
  field?: string;
}

/**
 * Encodes a JSON value (as JSON.parse gives it) for a Firestore field. The input is never changed;
 * maps and arrays that need no encoding are returned as they are (not copied).
 */
export function encodeJson(value: JsonValue, options: EncodeOptions = {}): JsonValue {
  if (value === null) return { [JSON_ENCODING.nullKey]: true };
  return encodeAt(value, 1, options.field ? utf8Length(options.field) : -1, [], false);
}

/**
 * level: the depth of the value in its document (the field itself is 1); pathBytes: the UTF-8 size
 * of the field path that leads to it (-1 when there is none yet); path: the keys and indexes on the
 * way (a stack, turned into a pointer only for an error message).
 */
function encodeAt(value: unknown, level: number, pathBytes: number, path: Array<string | number>, inArray: boolean): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new JsonEncodingError(`JSON has no number ${value}`, pointer(path));
    return value;
  }
  if (Array.isArray(value)) {
    if (inArray) {
      // [[1, 2]] → [{"~array": [1, 2]}]: the wrapper map is one level, the array inside another.
      if (level + 1 > JSON_ENCODING.maxDepth) throw depthError(path);
      // The wrapper's key is a real field name: it lengthens the path like any other key.
      const wrapped = childPath(pathBytes, JSON_ENCODING.arrayKey, path);
      return { [JSON_ENCODING.arrayKey]: encodeArray(value, level + 1, wrapped, path) };
    }
    return encodeArray(value, level, pathBytes, path);
  }
  if (isPlainMap(value)) {
    if (level > JSON_ENCODING.maxDepth) throw depthError(path);
    const keys = Object.keys(value);
    // Copied only from the first key or value that changes.
    let out: Record<string, JsonValue> | null = null;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const escaped = escapeKey(key);
      const child = value[key];
      path.push(key);
      const encoded = encodeAt(child, level + 1, childPath(pathBytes, escaped, path), path, false);
      path.pop();
      if (out === null && (escaped !== key || encoded !== child)) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j] as string] = value[keys[j] as string] as JsonValue;
      }
      // Plain assignment is safe: "__proto__" matches __.*__ and is always stored escaped.
      if (out !== null) out[escaped] = encoded;
    }
    return out ?? (value as JsonValue);
  }
  throw new JsonEncodingError(`not a JSON value (${typeof value})`, pointer(path));
}

function childPath(pathBytes: number, key: string, path: Array<string | number>): number {
  const bytes = (pathBytes < 0 ? 0 : pathBytes + 1) + utf8Length(key);
  if (bytes > JSON_ENCODING.maxPathBytes) {
    throw new JsonEncodingError(
      `the field path to this key is ${bytes} bytes, longer than Firestore's ${JSON_ENCODING.maxPathBytes}-byte limit`,
      pointer(path),
    );
  }
  return bytes;
}

function encodeArray(items: readonly unknown[], level: number, pathBytes: number, path: Array<string | number>): JsonValue[] {
  if (level > JSON_ENCODING.maxDepth) throw depthError(path);
  // Array items add no segment to a field path. Copied only from the first item that changes.
  let out: JsonValue[] | null = null;
  for (let i = 0; i < items.length; i++) {
    path.push(i);
    const encoded = encodeAt(items[i], level + 1, pathBytes, path, true);
    path.pop();
    if (out === null && encoded !== items[i]) out = items.slice(0, i) as JsonValue[];
    if (out !== null) out.push(encoded);
  }
  return out ?? (items as JsonValue[]);
}

function depthError(path: Array<string | number>): JsonEncodingError {
  return new JsonEncodingError(`nested deeper than Firestore's ${JSON_ENCODING.maxDepth} levels of maps and arrays`, pointer(path));
}

/**
 * Decodes a field written by encodeJson back to the JSON value. Accepts what either Firestore SDK
 * returns for maps, arrays and scalars; throws JsonEncodingError for anything else (a Timestamp,
 * say), since no encoded JSON contains one.
 */
export function decodeJson(stored: unknown): JsonValue {
  if (isPlainMap(stored)) {
    const keys = Object.keys(stored);
    if (keys.length === 1 && keys[0] === JSON_ENCODING.nullKey) return null;
  }
  return decodeAt(stored, []);
}

function decodeAt(value: unknown, path: (string | number)[]): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((item, i) => decodeAt(item, [...path, i]));
  if (isPlainMap(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === JSON_ENCODING.arrayKey) {
      const inner = value[JSON_ENCODING.arrayKey];
      if (!Array.isArray(inner)) throw new JsonEncodingError(`"${JSON_ENCODING.arrayKey}" must hold an array`, pointer(path));
      return inner.map((item, i) => decodeAt(item, [...path, i]));
    }
    if (keys.length === 1 && keys[0] === JSON_ENCODING.nullKey) return null;
    return Object.fromEntries(keys.map((k) => [unescapeKey(k), decodeAt(value[k], [...path, k])]));
  }
  throw new JsonEncodingError(`not an encoded JSON value (${typeof value})`, pointer(path));
}
