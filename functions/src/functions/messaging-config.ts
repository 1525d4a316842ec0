/**
 * Secrets and parameters of the messaging functions (e-mail through Resend, web push), declared
 * once. The emulator reads secrets from functions/.secret.local (see .secret.local.example) and
 * parameters from functions/.env*; deployed functions get them from Secret Manager and the
 * deploy's parameters. docs/messaging.md says how to set them.
 */
import { defineInt, defineSecret, defineString } from 'firebase-functions/params';
import type { MessagingConfig } from '../messaging/wiring.js';
import { region } from '../core/options.js';

export const RESEND_API_KEY = defineSecret('RESEND_API_KEY');
export const RESEND_WEBHOOK_SECRET = defineSecret('RESEND_WEBHOOK_SECRET');
export const UNSUBSCRIBE_SECRET = defineSecret('UNSUBSCRIBE_SECRET');
export const VAPID_PUBLIC_KEY = defineSecret('VAPID_PUBLIC_KEY');
export const VAPID_PRIVATE_KEY = defineSecret('VAPID_PRIVATE_KEY');

export const RESEND_API_BASE = defineString('RESEND_API_BASE', {
  default: 'https://api.resend.com',
  description: 'Resend API origin (a local stand-in in tests)',
});
export const EMAIL_FROM = defineString('EMAIL_FROM', {
  default: 'ZhenGrowth <hello@zhengrowth.com>',
  description: 'Sender of every e-mail ("Name <address>" on a domain verified in Resend)',
});
export const EMAIL_REPLY_TO = defineString('EMAIL_REPLY_TO', { default: '', description: 'Reply-To of every e-mail (empty: none)' });
export const EMAIL_MAX_ATTEMPTS = defineString('EMAIL_MAX_ATTEMPTS', {
  default: '10',
  description: 'Attempts per queued e-mail before it fails (429 and 5xx are retried with backoff; other 4xx fail at once)',
});
export const EMAIL_LOG_RETENTION_DAYS = defineInt('EMAIL_LOG_RETENTION_DAYS', {
  default: 180,
  description: 'Days an e-mail attempt log (email_logs) is kept before Firestore TTL deletes it (1 to 3650)',
});
export const UNSUBSCRIBE_URL = defineString('UNSUBSCRIBE_URL', {
  default: '',
  description: 'Public URL of the unsubscribe function (empty: https://{region}-{project}.cloudfunctions.net/unsubscribe)',
});
export const VAPID_SUBJECT = defineString('VAPID_SUBJECT', {
  default: 'mailto:hello@zhengrowth.com',
  description: 'VAPID contact of the push sender (mailto: or https:)',
});

function unsubscribeUrl(): string {
  const given = UNSUBSCRIBE_URL.value();
  if (given) return given;
  return `https://${region.value()}-${process.env.GCLOUD_PROJECT ?? 'zhengrowth'}.cloudfunctions.net/unsubscribe`;
}

export const messagingConfig: MessagingConfig = {
  resendApiKey: () => RESEND_API_KEY.value(),
  resendApiBase: () => RESEND_API_BASE.value(),
  emailFrom: () => EMAIL_FROM.value(),
  emailReplyTo: () => EMAIL_REPLY_TO.value(),
  emailMaxAttempts: () => EMAIL_MAX_ATTEMPTS.value(),
  emailLogRetentionDays: () => EMAIL_LOG_RETENTION_DAYS.value(),
  unsubscribeUrl,
  unsubscribeSecret: () => UNSUBSCRIBE_SECRET.value(),
  vapidPublicKey: () => VAPID_PUBLIC_KEY.value(),
  vapidPrivateKey: () => VAPID_PRIVATE_KEY.value(),
  vapidSubject: () => VAPID_SUBJECT.value(),
};

/** Secrets of the functions that send e-mail, and of those that push. */
export const EMAIL_SECRETS = [RESEND_API_KEY, UNSUBSCRIBE_SECRET];
export const PUSH_SECRETS = [VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY];
