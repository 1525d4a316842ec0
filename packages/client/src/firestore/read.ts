import { getDocs, type DocumentData, type Query } from 'firebase/firestore';
import { splitDocs, type AnyCollection, type DocOf, type DocsSplit } from '@zhengrowth/model';

/** A list as the app gets it: `docs` match the model (in query order), `invalid` do not (paths and problems, no data). */
export type ReadResult<T> = DocsSplit<T>;

/**
 * Runs a query and splits its documents with the model's splitDocs (the same tolerant read the
 * server's lists use): a list never falls over on one bad document; the screen shows the good
 * ones, and the app can report the others.
 */
export async function readDocs<C extends AnyCollection>(collection: C, q: Query<DocumentData>): Promise<ReadResult<DocOf<C>>> {
  return splitDocs(collection, (await getDocs(q)).docs);
}
