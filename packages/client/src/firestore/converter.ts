import { FieldValue, type DocumentData, type FirestoreDataConverter, type QueryDocumentSnapshot, type SetOptions } from 'firebase/firestore';
import { ModelValidationError, type AnyCollection, type DocOf } from '@zhengrowth/model';

/**
 * The model's converter for the web SDK. Reads are checked against the collection's schema (a
 * document that breaks it throws a ModelValidationError naming the field: use readDocs for lists,
 * which keeps going past one bad document). Writes are checked before they leave the browser
 * against the collection's client-write schema, the standard the rules hold them to (bounded text
 * and lists, json fields in their fixed forms), except for FieldValue sentinels (serverTimestamp(),
 * increment()), which only the rules can judge; a full write (set without merge) must name every
 * required field.
 */
export function webConverter<C extends AnyCollection>(collection: C): FirestoreDataConverter<DocOf<C>, DocumentData> {
  const { schema } = collection;
  const shape = schema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  return {
    toFirestore(value: unknown, options?: SetOptions): DocumentData {
      const plain: Record<string, unknown> = {};
      const sentinels: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) (v instanceof FieldValue ? sentinels : plain)[k] = v;
      const merge = options !== undefined && ('merge' in options || 'mergeFields' in options);
      if (!merge) {
        const missing = Object.keys(shape).filter((k) => !(k in plain) && !(k in sentinels) && !shape[k]?.safeParse(undefined).success);
        if (missing.length) {
          throw new ModelValidationError(
            collection.collection,
            missing.map((k) => ({ code: 'custom' as const, path: [k], message: 'required field is missing', input: undefined })),
          );
        }
      }
      const checked = (collection.clientWrite ?? schema).partial().safeParse(plain);
      if (!checked.success) throw new ModelValidationError(collection.collection, checked.error.issues);
      return { ...checked.data, ...sentinels };
    },
    fromFirestore(snapshot: QueryDocumentSnapshot): DocOf<C> {
      const checked = schema.safeParse(snapshot.data());
      if (!checked.success) throw new ModelValidationError(snapshot.ref.path, checked.error.issues);
      return checked.data as DocOf<C>;
    },
  };
}
