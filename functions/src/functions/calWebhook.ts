import { webhookOnRequest } from '../core/webhook.js';
import { handleCalWebhook } from '../webhooks/cal.js';
import { CAL_WEBHOOK_SECRET } from '../core/params.js';
import { WEBHOOK_OPTIONS } from './payments-config.js';

/** `calWebhook`: Cal.com booking triggers (X-Cal-Signature-256), kept in cal_bookings, sessions and inbox exactly once. */
export const calWebhook = webhookOnRequest('calWebhook', { ...WEBHOOK_OPTIONS, secrets: [CAL_WEBHOOK_SECRET] }, handleCalWebhook, () =>
  CAL_WEBHOOK_SECRET.value(),
);
