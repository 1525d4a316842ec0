import { checkIn as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { checkIn as handler } from '../registrations/checkin.js';
import { paymentDeps } from '../payments/wiring.js';
import { paymentConfig, PAYMENT_SECRETS } from './payments-config.js';

/** `checkIn`: staff check an attendee in, once, by id or signed QR token. */
export const checkIn = validatedOnCall(contract, handler, { cors: true, secrets: PAYMENT_SECRETS, timeoutSeconds: 60 }, () => paymentDeps(paymentConfig));
