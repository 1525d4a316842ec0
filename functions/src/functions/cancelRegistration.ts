import { cancelRegistration as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { cancelRegistration as handler } from '../registrations/cancel.js';
import { paymentDeps } from '../payments/wiring.js';
import { paymentConfig, PAYMENT_SECRETS } from './payments-config.js';

/** `cancelRegistration`: the registrant cancels a free registration; the seat passes to the first waitlisted person. */
export const cancelRegistration = validatedOnCall(contract, handler, { cors: true, secrets: PAYMENT_SECRETS, timeoutSeconds: 60 }, () =>
  paymentDeps(paymentConfig),
);
