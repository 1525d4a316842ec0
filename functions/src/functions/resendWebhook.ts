import { webhookOnRequest } from '../core/webhook.js';
import { handleResendWebhook } from '../messaging/email/resend-webhook.js';
import { WEBHOOK_OPTIONS } from './payments-config.js';
import { RESEND_WEBHOOK_SECRET } from '../core/params.js';

/** `resendWebhook`: Resend's delivery events (Svix-signed), applied to the e-mail logs and the suppression list exactly once. */
export const resendWebhook = webhookOnRequest('resendWebhook', { ...WEBHOOK_OPTIONS, secrets: [RESEND_WEBHOOK_SECRET] }, handleResendWebhook, () =>
  RESEND_WEBHOOK_SECRET.value(),
);
