import { broadcastPush as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { broadcast } from '../messaging/push/broadcast.js';
import { pushDeps } from '../messaging/wiring.js';
import { messagingConfig, PUSH_SECRETS } from './messaging-config.js';

/** `broadcastPush` (admins): a notification to everyone, a role or a language, with a report. */
export const broadcastPush = validatedOnCall(
  contract,
  broadcast,
  { cors: true, secrets: PUSH_SECRETS, timeoutSeconds: 540, memory: '512MiB', rateLimit: { uid: { max: 10, per_seconds: 3600 } } },
  () => pushDeps(messagingConfig),
);
