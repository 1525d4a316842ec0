import { refundOrder as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { refundOrder as handler } from '../payments/refund.js';
import { paymentDeps } from '../payments/wiring.js';
import { paymentConfig, PAYMENT_SECRETS } from './payments-config.js';

/** `refundOrder` (admins): refund all or part of a paid order through its provider; idempotent. */
export const refundOrder = validatedOnCall(contract, handler, { cors: true, secrets: PAYMENT_SECRETS, timeoutSeconds: 60 }, () => paymentDeps(paymentConfig));
