import { subscribeAnonymousPush as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { subscribeAnonymous } from '../messaging/push/subscriptions.js';
import { pushDeps } from '../messaging/wiring.js';
import { messagingConfig } from './messaging-config.js';

/** `subscribeAnonymousPush` (public, rate-limited per IP): a visitor's push subscription, for broadcasts. */
export const subscribeAnonymousPush = validatedOnCall(
  contract,
  subscribeAnonymous,
  { cors: true, timeoutSeconds: 20, rateLimit: { ip: { max: 10, per_seconds: 3600 } } },
  () => pushDeps(messagingConfig),
);
