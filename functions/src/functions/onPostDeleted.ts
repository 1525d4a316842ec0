import { onDocumentDeleted } from 'firebase-functions/v2/firestore';
import { communityPosts } from '@zhengrowth/model';
import { onPostDeleted as handler } from '../community/cleanup.js';
import { defaultDeps } from '../core/deps.js';

/** `onPostDeleted`: a deleted post's comments and likes are deleted after it. */
export const onPostDeleted = onDocumentDeleted({ document: communityPosts.template, retry: true, timeoutSeconds: 300 }, async (event) => {
  await handler(defaultDeps(), event.params.postId);
});
