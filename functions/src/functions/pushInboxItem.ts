import { onDocumentCreated } from 'firebase-functions/v2/firestore';
import { inbox } from '@zhengrowth/model';
import { pushInboxItem as handler } from '../messaging/push/inbox-push.js';
import { pushDeps } from '../messaging/wiring.js';
import { messagingConfig, PUSH_SECRETS } from './messaging-config.js';

/** `pushInboxItem`: a new inbox item is pushed to the user's browsers, once. */
export const pushInboxItem = onDocumentCreated(
  { document: inbox.template, secrets: PUSH_SECRETS, timeoutSeconds: 120, memory: '256MiB', retry: false },
  async (event) => {
    await handler({ params: { uid: event.params.uid, itemId: event.params.itemId } }, pushDeps(messagingConfig));
  },
);
