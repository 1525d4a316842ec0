import { unsubscribePush as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { unsubscribe } from '../messaging/push/subscriptions.js';
import { pushDeps } from '../messaging/wiring.js';
import { messagingConfig } from './messaging-config.js';

/** `unsubscribePush`: removes the caller's subscription of an endpoint. */
export const unsubscribePush = validatedOnCall(contract, unsubscribe, { cors: true, timeoutSeconds: 20 }, () => pushDeps(messagingConfig));
