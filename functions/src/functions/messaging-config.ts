/**
 * What the messaging functions (e-mail through Resend, web push) read of the params
 * (core/params.ts), and the secrets each needs at hand. docs/messaging.md says how to set them.
 */
import {
  FUNCTIONS_REGION,
  EMAIL_FROM,
  EMAIL_LOG_RETENTION_DAYS,
  EMAIL_MAX_ATTEMPTS,
  EMAIL_REPLY_TO,
  RESEND_API_BASE,
  RESEND_API_KEY,
  UNSUBSCRIBE_SECRET,
  UNSUBSCRIBE_URL,
  VAPID_PRIVATE_KEY,
  VAPID_PUBLIC_KEY,
  VAPID_SUBJECT,
} from '../core/params.js';
import type { MessagingConfig } from '../messaging/wiring.js';

function unsubscribeUrl(): string {
  const given = UNSUBSCRIBE_URL.value();
  if (given) return given;
  return `https://${FUNCTIONS_REGION.value()}-${process.env.GCLOUD_PROJECT ?? 'zhengrowth'}.cloudfunctions.net/unsubscribe`;
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
