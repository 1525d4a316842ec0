import { onDocumentCreated } from 'firebase-functions/v2/firestore';
import { emailQueue } from '@zhengrowth/model';
import { onQueuedEmail } from '../messaging/email/triggers.js';
import { emailDeps } from '../messaging/wiring.js';
import { EMAIL_SECRETS, messagingConfig } from './messaging-config.js';

/** `sendQueuedEmail`: a new email_queue item that is due is sent at once (later ones: processEmailQueue). */
export const sendQueuedEmail = onDocumentCreated(
  { document: emailQueue.template, secrets: EMAIL_SECRETS, timeoutSeconds: 120, memory: '256MiB', retry: false },
  (event) => onQueuedEmail({ params: { emailId: event.params.emailId } }, emailDeps(messagingConfig)),
);
