/**
 * The last step of every transform: a finished document checked against its collection's zod
 * schema and Firestore's limits (size, depth, index entries), or the row rejected with the reason.
 */
import type { AnyCollection } from '@zhengrowth/model';
import type { SourceRow } from '../sources/catalog.js';
import { indexEntries, MAX_DEPTH, MAX_DOCUMENT_BYTES, MAX_INDEX_ENTRIES, measureDocument } from './limits.js';
import { Rejection, reject } from '../codecs/pgtext.js';
import type { DocWrite, RowTransform, TransformContext } from './types.js';

function zodReason(collection: AnyCollection, data: unknown): string | null {
  const res = collection.schema.safeParse(data);
  if (res.success) return null;
  return `${collection.template} does not accept it: ${res.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`)
    .join('; ')}`;
}

/** Checks a finished document against its schema and Firestore's limits; returns it with its figures. */
export function finishDocument(collection: AnyCollection, path: string, data: Record<string, unknown>, ctx: TransformContext): DocWrite {
  const invalid = zodReason(collection, data);
  if (invalid) reject(invalid);
  const { bytes, depth, escapedKeys } = measureDocument(path, data);
  if (bytes > MAX_DOCUMENT_BYTES) reject(`${path} would be ${bytes.toLocaleString('en')} bytes, over Firestore's 1 MiB (1,048,576 bytes) document limit`);
  if (depth > MAX_DEPTH) reject(`${path} nests ${depth} levels deep, over Firestore's ${MAX_DEPTH}`);
  const entries = indexEntries(collection.groupId, data, ctx.indexes);
  if (entries > MAX_INDEX_ENTRIES)
    reject(`${path} would make ${entries.toLocaleString('en')} index entries, over Firestore's ${MAX_INDEX_ENTRIES.toLocaleString('en')} per document`);
  return { collection, path, data, bytes, depth, indexEntries: entries, escapedKeys };
}

export function docPathOf(collection: AnyCollection, params: Record<string, string>): string {
  try {
    return collection.docPath(params);
  } catch (err) {
    return reject(`no valid document path: ${(err as Error).message}`);
  }
}

/** A transform that turns a Rejection into `{ok: false, reason}` (any other error is a bug and escapes). */
export function guard(fn: (row: SourceRow) => DocWrite[]): RowTransform {
  return (row) => {
    try {
      return { ok: true, docs: fn(row) };
    } catch (err) {
      if (err instanceof Rejection) return { ok: false, reason: err.reason };
      throw err;
    }
  };
}
