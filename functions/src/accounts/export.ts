/**
 * exportMyData: everything held about the caller in one JSON document — users/{uid} and every
 * collection under it (walked, so a collection added later is exported too), and the documents
 * elsewhere that name them by uid or by their verified e-mail. Rate-limited in its wiring (one an
 * hour per user). The answer is the callable's response; at our sizes it stays far below the
 * callable response limit (the analytics events are the bulk).
 */
import type { DocumentReference, DocumentSnapshot, Query } from 'firebase-admin/firestore';
import {
  aiLogsOfUser,
  analyticsOfUser,
  bookingsMine,
  bookingsOfUser,
  calBookingsMine,
  calBookingsOfUser,
  commentsByAuthor,
  communityPostsByAuthor,
  EXPORT_FORMAT,
  experimentAssignmentsMine,
  leadsByEmail,
  ordersByCustomerEmail,
  ordersMine,
  paymentsOfUser,
  registrationsByEmail,
  registrationsMine,
  reportsByReporter,
  socialAnalyticsAllOfUser,
  users,
  type exportMyData as contract,
  type JsonValue,
  type QuerySpec,
} from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { verifiedEmail } from '../core/context.js';
import type { Deps } from '../core/deps.js';
import { buildQuery } from '../core/query.js';
import { collectionOfPath, exportFields } from './documents.js';

interface Exported {
  id: string;
  path: string;
  data: Record<string, JsonValue>;
}

/** What names a user outside users/{uid}: by uid, and (verified e-mail only) by address. */
const BY_UID: readonly QuerySpec[] = [
  ordersMine,
  paymentsOfUser,
  bookingsOfUser,
  calBookingsOfUser,
  registrationsMine,
  communityPostsByAuthor,
  commentsByAuthor,
  reportsByReporter,
  analyticsOfUser,
  aiLogsOfUser,
  experimentAssignmentsMine,
  socialAnalyticsAllOfUser,
];
const BY_EMAIL: readonly QuerySpec[] = [ordersByCustomerEmail, bookingsMine, calBookingsMine, registrationsByEmail, leadsByEmail];

function exported(snap: DocumentSnapshot): Exported {
  return { id: snap.id, path: snap.ref.path, data: exportFields(collectionOfPath(snap.ref.parent.path), snap.data() ?? {}) };
}

/** Every document under `ref`, depth first: its subcollections, their documents, and theirs (under documents that may not exist). */
async function subtree(ref: DocumentReference, out: Exported[]): Promise<void> {
  for (const coll of await ref.listCollections()) {
    out.push(...(await coll.get()).docs.map(exported));
    for (const doc of await coll.listDocuments()) await subtree(doc, out);
  }
}

/** Groups documents by their collection's template (`users/{uid}/goals`), each document once. */
function byCollection(docs: readonly Exported[]): Record<string, Exported[]> {
  const out: Record<string, Exported[]> = {};
  const seen = new Set<string>();
  for (const d of docs) {
    if (seen.has(d.path)) continue;
    seen.add(d.path);
    const parent = d.path.split('/').slice(0, -1).join('/');
    const name = collectionOfPath(parent)?.collection ?? parent.replace(/([^/]+\/)[^/]+(?=\/)/g, '$1{id}');
    (out[name] ??= []).push(d);
  }
  for (const list of Object.values(out)) list.sort((a, b) => a.path.localeCompare(b.path));
  return out;
}

export const exportMyDataHandler: CallableHandler<typeof contract, Deps> = async (_input, me, deps) => {
  const userDoc = deps.db.doc(users.docPath({ uid: me.uid }));
  const email = verifiedEmail(me)?.toLowerCase();
  const queries: Query[] = [
    ...BY_UID.map((spec) => buildQuery(deps.db, spec, [me.uid])),
    ...(email ? BY_EMAIL.map((spec) => buildQuery(deps.db, spec, [email])) : []),
  ];
  const docs: Exported[] = [];
  const [user] = await Promise.all([userDoc.get(), subtree(userDoc, docs)]);
  for (const snaps of await Promise.all(queries.map((q) => q.get()))) docs.push(...snaps.docs.map(exported));
  return {
    format: EXPORT_FORMAT,
    generated_at: deps.now().toISOString(),
    uid: me.uid,
    user: user.exists ? exported(user).data : null,
    collections: byCollection(docs),
  };
};
