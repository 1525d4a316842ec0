/**
 * The messaging handlers' deps from the functions' secrets and parameters, read when a request
 * (or event) comes in: the wiring files in functions/ pass the param readers (messaging-config.ts).
 */
import { defaultDeps } from '../core/deps.js';
import { bounded, EMAIL_MAX_ATTEMPTS_BOUNDS, RETENTION_DAYS } from '../core/params.js';
import { sleep, type EmailDeps } from './email/deps.js';
import { resendGateway, type EmailGateway } from './email/gateway.js';
import { DEFAULT_RETRY_POLICY } from './email/retry.js';
import { firestoreTemplateStore, type TemplateStore } from './email/template-store.js';
import type { PushDeps } from './push/deps.js';
import { webPushGateway, type PushGateway } from './push/gateway.js';

export interface MessagingConfig {
  resendApiKey: () => string;
  resendApiBase: () => string;
  emailFrom: () => string;
  emailReplyTo: () => string;
  emailMaxAttempts: () => number;
  emailLogRetentionDays: () => number;
  unsubscribeUrl: () => string;
  unsubscribeSecret: () => string;
  vapidPublicKey: () => string;
  vapidPrivateKey: () => string;
  vapidSubject: () => string;
}

/** The emulator (and only it) may push to loopback http endpoints: local push stand-ins. */
export const inEmulator = (): boolean => process.env.FUNCTIONS_EMULATOR === 'true';

// One template cache per instance, shared by its invocations.
let templates: TemplateStore | undefined;

export function emailDeps(config: MessagingConfig): EmailDeps {
  const base = defaultDeps();
  let gateway: EmailGateway | undefined;
  return {
    ...base,
    gateway: () => (gateway ??= resendGateway({ apiKey: config.resendApiKey(), apiBase: config.resendApiBase() })),
    templates: (templates ??= firestoreTemplateStore(base.db)),
    from: config.emailFrom(),
    replyTo: config.emailReplyTo(),
    retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: bounded('EMAIL_MAX_ATTEMPTS', config.emailMaxAttempts(), EMAIL_MAX_ATTEMPTS_BOUNDS) },
    leaseMs: 90_000,
    logRetentionDays: bounded('EMAIL_LOG_RETENTION_DAYS', config.emailLogRetentionDays(), RETENTION_DAYS),
    unsubscribe: { url: config.unsubscribeUrl(), secret: config.unsubscribeSecret() },
    random: Math.random,
    sleep,
  };
}

export function pushDeps(config: MessagingConfig): PushDeps {
  let push: PushGateway | undefined;
  return {
    ...defaultDeps(),
    push: () => (push ??= webPushGateway({ publicKey: config.vapidPublicKey(), privateKey: config.vapidPrivateKey(), subject: config.vapidSubject() })),
    allowLoopbackEndpoints: inEmulator(),
    leaseMs: 120_000,
    freshnessMs: 3_600_000,
    sleep,
  };
}
