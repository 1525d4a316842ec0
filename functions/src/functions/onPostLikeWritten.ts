import { onDocumentWritten } from 'firebase-functions/v2/firestore';
import { communityPostLikes } from '@zhengrowth/model';
import { onLikeWritten } from '../community/counters.js';
import { defaultDeps } from '../core/deps.js';

/** `onPostLikeWritten`: a post's likes_count follows its like documents, exactly once per delivery. */
export const onPostLikeWritten = onDocumentWritten({ document: communityPostLikes.template, retry: true, timeoutSeconds: 60 }, async (event) => {
  await onLikeWritten(defaultDeps(), {
    eventId: event.id,
    postId: event.params.postId,
    existedBefore: event.data?.before.exists ?? false,
    existsAfter: event.data?.after.exists ?? false,
  });
});
