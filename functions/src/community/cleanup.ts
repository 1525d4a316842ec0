/**
 * When a post is deleted (by its author, a moderator or an admin), its comments and likes go with
 * it (`onPostDeleted`): a post's subtree can exceed a transaction's 500 writes, so it is removed
 * after the post, by the BulkWriter of recursiveDelete. Idempotent: a redelivery finds less or
 * nothing to delete.
 */
import type { Deps } from '../core/deps.js';
import { postRef } from './refs.js';

export async function onPostDeleted(deps: Deps, postId: string): Promise<void> {
  const post = postRef(deps.db, postId);
  // A post written again under the same id meanwhile keeps its subtree.
  if ((await post.get()).exists) return;
  for (const sub of await post.listCollections()) await deps.db.recursiveDelete(sub);
}
