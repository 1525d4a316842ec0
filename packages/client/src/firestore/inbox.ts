import { serverTimestamp, type Firestore } from 'firebase/firestore';
import { inbox, inboxRecent, inboxUnread, type InboxItemDoc } from '@zhengrowth/model';
import { specQuery } from './queries.js';
import { readDocs, type ReadResult } from './read.js';
import { modelDoc, updateModelDoc } from './refs.js';

/** The user's in-app notices, newest first (unread only when asked). */
export function listInbox(db: Firestore, uid: string, options: { unreadOnly?: boolean; limit?: number } = {}): Promise<ReadResult<InboxItemDoc>> {
  const q = options.unreadOnly ? specQuery(db, inboxUnread, [false], { uid }, options.limit) : specQuery(db, inboxRecent, [], { uid }, options.limit ?? 50);
  return readDocs(inbox, q);
}

/** Marks one notice read: the only change the rules let its owner make (read, read_at). */
export async function markInboxItemRead(db: Firestore, uid: string, itemId: string): Promise<void> {
  await updateModelDoc(modelDoc(db, inbox, { uid, itemId }), { read: true, read_at: serverTimestamp() });
}
