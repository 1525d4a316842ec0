import { getDocs, type DocumentData, type Query } from 'firebase/firestore';
import type { AnyCollection, DocOf } from '@zhengrowth/model';

export interface ReadResult<T> {
  /** The documents that match the model, in query order. */
  docs: Array<{ id: string; path: string; data: T }>;
  /** Documents that do not (written before a schema change, or by a bug): shown to nobody, reported. */
  invalid: Array<{ id: string; path: string; error: string }>;
}

/**
 * Runs a query and splits its documents into those that match the collection's schema and those that
 * do not. A list never falls over on one bad document: the screen shows the good ones, and the app
 * can report the others (their paths and the first problems, no data).
 */
export async function readDocs<C extends AnyCollection>(collection: C, q: Query<DocumentData>): Promise<ReadResult<DocOf<C>>> {
  const snap = await getDocs(q);
  const out: ReadResult<DocOf<C>> = { docs: [], invalid: [] };
  for (const d of snap.docs) {
    const checked = collection.schema.safeParse(d.data());
    if (checked.success) out.docs.push({ id: d.id, path: d.ref.path, data: checked.data as DocOf<C> });
    else {
      const problems = checked.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`);
      out.invalid.push({ id: d.id, path: d.ref.path, error: problems.join('; ') });
    }
  }
  return out;
}
