import { z } from 'zod';

/**
 * The standard a CLIENT write must meet, beside the standard a STORED document meets.
 *
 * A collection's `schema` says what a stored document is: what the migration checks every row
 * against and what every reader's converter accepts. It is deliberately open where Supabase was
 * (text of any length, any jsonb), so that no legitimate legacy row is rejected. A client must not
 * be able to use that openness: a web app that may write a 950 KB map, a Timestamp inside a json
 * field or a number among a post's tags can break every reader of the feed. So each collection
 * that clients write declares a `clientWrite` schema, built from its stored schema with
 * `clientWriteSchema(...)`: every string bounded, every list bounded with typed elements, every
 * json field a fixed shape (or a small flat map) that security rules can check without loops.
 *
 * firestore.rules checks exactly that schema (the generated `write*` functions, see rules-write.ts),
 * the web client checks it before a write leaves the browser, and the generator refuses a
 * client-write schema that is not narrower than the stored one, or that rules cannot check: a
 * client write is always a document the model can read, and a new field cannot be written by a
 * client until it has a rules check.
 *
 * On update only the fields that change are held to this standard (the rules pass the changed
 * keys): a migrated post with a 300-character title can still have its tags edited.
 */

/** Every number a client writes lies within what a double holds exactly (NaN and ±Infinity are out too). */
export const MAX_CLIENT_NUMBER = Number.MAX_SAFE_INTEGER;

/** Text of at most `max` UTF-16 code units (JavaScript's `length`, which is also what rules' `size()` counts). */
export function text(max: number): z.ZodString {
  return z.string().max(max);
}

/** A finite number within ±2^53 − 1. */
export const clientNumber = z.number().min(-MAX_CLIENT_NUMBER).max(MAX_CLIENT_NUMBER);

/**
 * A JSON scalar a client may put in a json field: text of at most `maxString` characters, a finite
 * number, a boolean or null. `rulesName` makes the generator emit one shared rules function for it.
 */
export function jsonScalar(maxString: number) {
  return z.union([text(maxString), clientNumber, z.boolean(), z.null()]).meta({ rulesName: `jsonScalar${maxString}` });
}

/**
 * A key of a client-written json map: a letter, then letters, digits and `_` (at most 40). No key
 * needs the model's JSON key escaping (no `~`, never empty, never `__x__`), so what a client stores
 * is its own encoding, and the rules can check all keys at once (joined with commas).
 */
export const JSON_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
export const jsonKey = z.string().regex(JSON_KEY);

function isPlainMap(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * A json map of at most `maxKeys` keys (see JSON_KEY), each value of type `value` (which must itself
 * be a bounded, rules-checkable form). `rulesName` names the shared rules function.
 */
export function jsonMap<V extends z.ZodType>(options: { maxKeys: number; value: V; rulesName: string }) {
  const { maxKeys, value, rulesName } = options;
  return z
    .record(jsonKey, value)
    .refine((v) => isPlainMap(v) && Object.keys(v).length <= maxKeys, { message: `expected a plain map of at most ${maxKeys} keys` })
    .meta({ maxKeys, rulesName });
}

/**
 * A flat json map: at most `maxKeys` keys (see JSON_KEY), each a JSON scalar (jsonScalar). For
 * json fields whose content is open-ended settings (admin configuration, analytics properties):
 * no nesting, so a client cannot store thousands of keys under one key, and a bounded size.
 */
export function flatJson(options: { maxKeys: number; maxString: number }) {
  const { maxKeys, maxString } = options;
  return jsonMap({ maxKeys, value: jsonScalar(maxString), rulesName: `flatJson${maxKeys}x${maxString}` });
}

/** Bounds used across collections, so that similar fields get similar limits. */
export const TEXT = {
  /** Codes, statuses, platforms, languages, sources. */
  code: 50,
  /** Names, titles, slugs, labels. */
  name: 200,
  /** URLs (the common browser limit). */
  url: 2048,
  /** A paragraph: comments, messages, descriptions, reasons. */
  paragraph: 5000,
  /** Long text written by people: posts, notes. */
  long: 20_000,
  /** Whole documents: article bodies, e-mail HTML. */
  document: 200_000,
  /** One tag. */
  tag: 40,
} as const;

/** A list of at most `max` tags, each 1 to 40 characters. */
export function tagList(max: number) {
  return z.array(text(TEXT.tag).min(1)).max(max);
}

/** UTM parameters as marketing pages pass them on. */
export const utmWrite = z.strictObject({ source: text(100), medium: text(100), campaign: text(100), term: text(100), content: text(100) }).partial();

/** Admin-edited settings maps (offer metadata, flags, criteria, templates' variables…). */
export const settingsJson = flatJson({ maxKeys: 8, maxString: 500 });

/**
 * The client-write schema of a collection: its stored schema (or the part of it clients may set,
 * `pick`ed before), with the listed fields replaced by their bounded client forms. A field not
 * listed keeps its stored type, which must then already be rules-checkable and bounded (the
 * generator says which ones are not).
 */
export function clientWriteSchema<Shape extends z.ZodRawShape, O extends { [K in keyof Shape]?: z.ZodType }>(
  stored: z.ZodObject<Shape, z.core.$strict>,
  overrides: O,
): z.ZodObject<z.core.util.Extend<Shape, { [K in keyof O]-?: Exclude<O[K], undefined> }>, z.core.$strict> {
  const unknown = Object.keys(overrides).filter((k) => !(k in stored.shape));
  if (unknown.length) throw new Error(`clientWriteSchema: ${unknown.join(', ')} is not a field of the stored schema`);
  return stored.extend(overrides as z.ZodRawShape) as never;
}
