import { webhookOnRequest } from '../core/webhook.js';
import { handleAirwallexWebhook } from '../webhooks/airwallex.js';
import { AIRWALLEX_WEBHOOK_SECRET } from '../core/params.js';
import { WEBHOOK_OPTIONS } from './payments-config.js';

/** `airwallexWebhook`: Airwallex events (x-timestamp + x-signature), applied to orders exactly once. */
export const airwallexWebhook = webhookOnRequest('airwallexWebhook', { ...WEBHOOK_OPTIONS, secrets: [AIRWALLEX_WEBHOOK_SECRET] }, handleAirwallexWebhook, () =>
  AIRWALLEX_WEBHOOK_SECRET.value(),
);
