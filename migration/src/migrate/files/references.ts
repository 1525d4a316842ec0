/**
 * Which Supabase Storage objects the data points to: every URL column of the table specs (`files`),
 * read from the source, each value that names an object of this Supabase project (an array column
 * element by element). Other URLs — YouTube, a CDN, another project — are not ours to move.
 */
import { mustGet } from '@zhengrowth/model';
import type { Prepared } from '../context/index.js';
import type { Source } from '../sources/source.js';
import { parseTextArray, Rejection } from '../codecs/pgtext.js';
import { tablePlans } from '../plan/mapping.js';
import { parseStorageUrl, type StorageObjectRef } from '../urls/storage-url.js';

export interface ObjectRefs {
  object: StorageObjectRef;
  /** The rows whose URL columns point to it. */
  rows: Array<{ table: string; key: string; column: string; url: string }>;
}

export const objectKey = (o: StorageObjectRef): string => `${o.origin}\u0000${o.bucket}\u0000${o.path}`;

/** The URL columns of each table (table specs' `files`). */
export function fileColumns(): Map<string, string[]> {
  return new Map(
    tablePlans()
      .filter((p) => p.files.length > 0)
      .map((p) => [p.table, p.files]),
  );
}

function urlsOf(value: string, isArray: boolean): string[] {
  if (!isArray) return [value];
  try {
    return parseTextArray(value, 'url array');
  } catch (err) {
    if (err instanceof Rejection) return [];
    throw err;
  }
}

/** Every object of `origin` that the given tables' URL columns name, with the rows that name it. */
export async function findObjects(source: Source, prepared: Prepared, origin: string, tables: readonly string[]): Promise<Map<string, ObjectRefs>> {
  const found = new Map<string, ObjectRefs>();
  for (const [table, columns] of fileColumns()) {
    if (!tables.includes(table)) continue;
    const t = mustGet(prepared.catalog, table, 'source table');
    const kinds = new Map(t.columns.map((c) => [c.name, c.kind]));
    for await (const page of source.scan(t, { after: null, pageSize: 5000, columns: [t.primaryKey, ...columns] })) {
      for (const row of page) {
        const key = row[t.primaryKey] ?? '';
        for (const column of columns) {
          const value = row[column] ?? null;
          if (value === null) continue;
          for (const url of urlsOf(value, kinds.get(column) === 'text[]')) {
            const object = parseStorageUrl(url);
            if (!object || object.origin !== origin) continue;
            const k = objectKey(object);
            const refs = found.get(k) ?? { object, rows: [] };
            refs.rows.push({ table, key, column, url });
            found.set(k, refs);
          }
        }
      }
    }
  }
  return found;
}
