import {
  addDoc,
  collection as collectionRef,
  doc,
  setDoc,
  updateDoc,
  type CollectionReference,
  type DocumentData,
  type DocumentReference,
  type FieldValue,
  type Firestore,
  type UpdateData,
  type WithFieldValue,
} from 'firebase/firestore';
import type { AnyCollection, DocOf } from '@zhengrowth/model';
import { webConverter } from './converter.js';

/** A document of a model collection, read and written through the model's converter. */
export function modelDoc<C extends AnyCollection>(db: Firestore, c: C, params: Parameters<C['docPath']>[0]): DocumentReference<DocOf<C>> {
  return doc(db, c.docPath(params)).withConverter(webConverter(c));
}

/** A model collection (for addDoc: the document id is chosen by Firestore). */
export function modelCollection<C extends AnyCollection>(db: Firestore, c: C, params: Parameters<C['collectionPath']>[0]): CollectionReference<DocOf<C>> {
  return collectionRef(db, c.collectionPath(params)).withConverter(webConverter(c));
}

/** A document whose top-level fields may be FieldValue sentinels (serverTimestamp(), increment()). */
export type WithSentinels<T> = { [K in keyof T]: T[K] | FieldValue };

/**
 * addDoc / setDoc / updateDoc over a model collection. Generic on purpose: the web SDK's
 * WithFieldValue<T> of the model's recursive JSON type is too deep for TypeScript to expand at a
 * call site with an object literal; the converter checks the data at run time either way.
 */
export function addModelDoc<T extends DocumentData>(ref: CollectionReference<T>, data: WithSentinels<T>): Promise<DocumentReference<T>> {
  return addDoc(ref, data as WithFieldValue<T>);
}

export function setModelDoc<T extends DocumentData>(ref: DocumentReference<T>, data: WithSentinels<T>): Promise<void> {
  return setDoc(ref, data as WithFieldValue<T>);
}

export function updateModelDoc<T extends DocumentData>(ref: DocumentReference<T>, changes: Partial<WithSentinels<T>>): Promise<void> {
  return updateDoc(ref, changes as UpdateData<T>);
}
