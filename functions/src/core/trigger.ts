/**
 * Trigger payloads are a boundary like callable data: a document that does not fit its model is
 * logged (path and problem, no data) and treated as absent, so one bad document neither breaks the
 * process nor makes the trigger retry forever.
 */
import { logger } from 'firebase-functions/logger';
import type { AnyCollection, DocOf } from '@zhengrowth/model';

interface SnapshotLike {
  exists: boolean;
  data(): unknown;
  ref: { path: string };
}

export function modelData<C extends AnyCollection>(collection: C, snap: SnapshotLike | undefined, trigger: string): DocOf<C> | undefined {
  if (!snap?.exists) return undefined;
  const res = collection.schema.safeParse(snap.data());
  if (res.success) return res.data as DocOf<C>;
  logger.warn(`${trigger}: a document that does not fit the model was skipped`, {
    trigger,
    path: snap.ref.path,
    problem: res.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; '),
  });
  return undefined;
}
