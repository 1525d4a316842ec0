/**
 * Documents in the migrated collections that no source row accounts for: reported (the app may
 * have written them), not a failure.
 */
import type { AnyCollection } from '@zhengrowth/model';
import type { DocumentSnapshot, Firestore } from 'firebase-admin/firestore';
import { tablePlan } from '../plan/mapping.js';
import type { Unit } from '../units/index.js';
import { templateRegex } from './compare.js';
import type { ExpectedPaths } from './documents.js';
import { MAX_LISTED, type VerifyTally } from './report.js';

/** The collections the units' tables write. */
export function collectionsOf(units: readonly Unit[]): AnyCollection[] {
  const collections = new Map<string, AnyCollection>();
  for (const u of units) for (const t of u.tables) for (const d of tablePlan(t).destinations) collections.set(d.collection.template, d.collection);
  return [...collections.values()];
}

export async function findExtras(db: Firestore, collections: readonly AnyCollection[], expected: ExpectedPaths, tally: VerifyTally): Promise<void> {
  for (const c of collections) {
    const re = templateRegex(c);
    const wanted = expected.byTemplate.get(c.template) ?? new Set<string>();
    const stream = db.collectionGroup(c.groupId).select().stream() as AsyncIterable<DocumentSnapshot>;
    // Read to the end, never left early: a query stream abandoned halfway is not cancelled, and its
    // unread responses hold the connection's flow-control window, so every later request on it
    // waited for the stream's deadline (five minutes) once the list of extras was full.
    for await (const snap of stream) {
      const path = snap.ref.path;
      if (!re.test(path) || wanted.has(path)) continue;
      tally.report.extraDocuments = (tally.report.extraDocuments ?? 0) + 1;
      if (tally.report.extras.length < MAX_LISTED) tally.report.extras.push({ collection: c.template, path });
    }
  }
}
