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
    for await (const snap of stream) {
      const path = snap.ref.path;
      if (!re.test(path) || wanted.has(path)) continue;
      if (tally.report.extras.length >= MAX_LISTED) break;
      tally.report.extras.push({ collection: c.template, path });
    }
  }
}
