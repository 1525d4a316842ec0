import { runTransaction, serverTimestamp, type Firestore } from 'firebase/firestore';
import { blogPosts, eventPrices, events, lessons, offers, type AnyCollection, type DocOf } from '@zhengrowth/model';
import { modelDoc } from './refs.js';

/** Fields the server keeps (counters start at 0 and only it moves them) and the times it stamps. */
type Managed = 'created_at' | 'updated_at' | 'view_count' | 'registered_count';
export type CatalogFields<C extends AnyCollection> = Omit<DocOf<C>, Managed>;

const COUNTERS = ['view_count', 'registered_count'] as const;

/**
 * Creates or updates a catalogue document an admin edits directly (blog posts, lessons, offers,
 * events and their prices): a new one gets its counters at 0 and `created_at` from the server, an
 * existing one keeps its counters, id fields and `created_at` (the rules refuse changing them).
 */
export async function saveCatalogDoc<C extends AnyCollection>(
  db: Firestore,
  c: C,
  params: Parameters<C['docPath']>[0],
  fields: CatalogFields<C>,
  keep: readonly string[] = [],
): Promise<'created' | 'updated'> {
  const shape = c.schema.shape as Record<string, unknown>;
  const ref = modelDoc(db, c, params);
  return runTransaction(db, async (tx) => {
    const exists = (await tx.get(ref)).exists();
    const stamped: Record<string, unknown> = { ...(fields as Record<string, unknown>) };
    if ('updated_at' in shape) stamped.updated_at = serverTimestamp();
    if (exists) {
      for (const k of keep) delete stamped[k];
      tx.update(ref, stamped);
      return 'updated';
    }
    if ('created_at' in shape) stamped.created_at = serverTimestamp();
    for (const counter of COUNTERS) if (counter in shape) stamped[counter] = 0;
    tx.set(ref, stamped as DocOf<C>);
    return 'created';
  });
}

/** A blog post by slug (the document id); the row id in `id` never changes once set. */
export function saveBlogPost(db: Firestore, slug: string, post: CatalogFields<typeof blogPosts>) {
  return saveCatalogDoc(db, blogPosts, { slug }, post, ['id']);
}

export function saveLesson(db: Firestore, lessonId: string, lesson: CatalogFields<typeof lessons>) {
  return saveCatalogDoc(db, lessons, { lessonId }, lesson);
}

export function saveOffer(db: Firestore, offerId: string, offer: CatalogFields<typeof offers>) {
  return saveCatalogDoc(db, offers, { offerId }, offer);
}

export function saveEvent(db: Firestore, eventId: string, event: CatalogFields<typeof events>) {
  return saveCatalogDoc(db, events, { eventId }, event);
}

export function saveEventPrice(db: Firestore, eventId: string, priceId: string, price: CatalogFields<typeof eventPrices>) {
  return saveCatalogDoc(db, eventPrices, { eventId, priceId }, price, ['event_id']);
}
