/**
 * Stored documents as plain JSON for the data export: the model's jsonb fields decoded by its codec
 * (escaped keys, nested-array and null wrappers undone), Timestamps as ISO strings, anything else
 * Firestore can hold as the nearest JSON. Documents are read raw (no converter), so one odd
 * migrated document is exported as it is rather than failing the whole export.
 */
import { ALL_COLLECTIONS, decodeJson, describeType, isTimestampLike, type AnyCollection, type JsonValue } from '@zhengrowth/model';

/** The model collection a collection path belongs to (`users/u1/goals` → users/{uid}/goals). */
export function collectionOfPath(collectionPath: string): AnyCollection | undefined {
  const segs = collectionPath.split('/');
  return ALL_COLLECTIONS.find((c) => {
    const t = c.collection.split('/');
    return t.length === segs.length && t.every((part, i) => /^\{\w+\}$/.test(part) || part === segs[i]);
  });
}

const jsonFieldsCache = new Map<AnyCollection, ReadonlySet<string>>();

function jsonFields(c: AnyCollection): ReadonlySet<string> {
  let fields = jsonFieldsCache.get(c);
  if (!fields) {
    const shape = c.schema.shape as Record<string, Parameters<typeof describeType>[0]>;
    fields = new Set(Object.entries(shape).flatMap(([name, t]) => (describeType(t).type === 'json' ? [name] : [])));
    jsonFieldsCache.set(c, fields);
  }
  return fields;
}

/** A stored value as JSON: Timestamps → ISO 8601, bytes → base64, references → their path, geo points → {latitude, longitude}. */
export function toJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (isTimestampLike(value)) return value.toDate().toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.path === 'string' && 'firestore' in o) return o.path;
    if (typeof o.latitude === 'number' && typeof o.longitude === 'number' && Object.getPrototypeOf(o) !== Object.prototype) {
      return { latitude: o.latitude, longitude: o.longitude };
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, toJson(v)]));
  }
  // bigint, symbol, function: nothing Firestore returns.
  return typeof value === 'bigint' ? value.toString() : null;
}

/** A document's fields as JSON, its jsonb fields decoded (a field the codec cannot read is exported as stored). */
export function exportFields(collection: AnyCollection | undefined, data: Record<string, unknown>): Record<string, JsonValue> {
  const json = collection ? jsonFields(collection) : new Set<string>();
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => {
      if (!json.has(k)) return [k, toJson(v)];
      try {
        return [k, decodeJson(v)];
      } catch {
        return [k, toJson(v)];
      }
    }),
  );
}
