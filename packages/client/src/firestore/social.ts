import { collection, deleteDoc, serverTimestamp, type Firestore } from 'firebase/firestore';
import { socialAccounts, socialPosts, socialPostSchema, type SchemaInput, type SocialAccountDoc, type SocialPostDoc } from '@zhengrowth/model';
import { readDocs, type ReadResult } from './read.js';
import { addModelDoc, modelCollection, modelDoc, updateModelDoc } from './refs.js';

/** What the owner writes on a draft; scheduling, cancelling and publishing go through the callables. */
export const socialDraftInput = socialPostSchema.pick({ account_id: true, platform: true, content: true, media_urls: true }).partial({ media_urls: true });
export type SocialDraftInput = SchemaInput<typeof socialDraftInput>;

/** A new draft of the signed-in user on one of their connected accounts; returns its id. */
export async function saveSocialDraft(db: Firestore, uid: string, draft: SocialDraftInput): Promise<string> {
  const d = socialDraftInput.parse(draft);
  const ref = await addModelDoc(modelCollection(db, socialPosts, { uid }), {
    user_id: uid,
    account_id: d.account_id,
    platform: d.platform,
    content: d.content,
    media_urls: d.media_urls ?? [],
    status: 'draft',
    scheduled_for: null,
    published_at: null,
    platform_post_id: null,
    error: null,
    metadata: null,
    created_at: serverTimestamp(),
    updated_at: serverTimestamp(),
  });
  return ref.id;
}

/** Edits a draft (the rules refuse any other status: reschedule or cancel through the callables). */
export async function updateSocialDraft(
  db: Firestore,
  uid: string,
  postId: string,
  changes: Partial<Pick<SocialDraftInput, 'content' | 'media_urls'>>,
): Promise<void> {
  const c = socialDraftInput.pick({ content: true, media_urls: true }).partial().parse(changes);
  await updateModelDoc(modelDoc(db, socialPosts, { uid, postId }), { ...c, updated_at: serverTimestamp() });
}

/** Deletes a post that is not scheduled or being published (cancel a scheduled one first). */
export async function deleteSocialPost(db: Firestore, uid: string, postId: string): Promise<void> {
  await deleteDoc(modelDoc(db, socialPosts, { uid, postId }));
}

export function listMySocialPosts(db: Firestore, uid: string): Promise<ReadResult<SocialPostDoc>> {
  return readDocs(socialPosts, collection(db, socialPosts.collectionPath({ uid })));
}

/** The connected accounts (no tokens: those never leave the server); `status: 'needs_reconnect'` asks for startSocialConnect again. */
export function listMySocialAccounts(db: Firestore, uid: string): Promise<ReadResult<SocialAccountDoc>> {
  return readDocs(socialAccounts, collection(db, socialAccounts.collectionPath({ uid })));
}
