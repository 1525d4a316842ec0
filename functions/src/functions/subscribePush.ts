import { subscribePush as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { subscribe } from '../messaging/push/subscriptions.js';
import { pushDeps } from '../messaging/wiring.js';
import { messagingConfig } from './messaging-config.js';

/** `subscribePush`: saves the caller's browser push subscription (the same endpoint again updates it). */
export const subscribePush = validatedOnCall(contract, subscribe, { cors: true, timeoutSeconds: 20, rateLimit: { uid: { max: 30, per_seconds: 3600 } } }, () =>
  pushDeps(messagingConfig),
);
