/**
 * A messaging test's world: a Firestore project of its own in the emulator with the shipped
 * templates loaded, the Resend and push stand-ins, a clock the test moves (sleeps advance it, and
 * are recorded, so a retry-after is seen without waiting), and the handlers' deps over them.
 */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import webpush from 'web-push';
import { Webhook } from 'svix';
import { users } from '@zhengrowth/model';
import { put, testFirebase, testProjectId, type TestFirebase } from '@zhengrowth/devstack/testing';
import type { EmailDeps } from '../../src/messaging/email/deps.js';
import { resendGateway } from '../../src/messaging/email/gateway.js';
import { DEFAULT_RETRY_POLICY } from '../../src/messaging/email/retry.js';
import { firestoreTemplateStore } from '../../src/messaging/email/template-store.js';
import type { PushDeps } from '../../src/messaging/push/deps.js';
import { webPushGateway } from '../../src/messaging/push/gateway.js';
import { loadEmailTemplates } from '../../src/messaging/templates/index.js';
import type { WebhookDeps } from '../../src/core/webhook-delivery.js';
import { startPushStandIn, type PushStandIn } from './push-standin.js';
import { startResendStandIn, type ResendStandIn } from './resend-standin.js';

export const RESEND_KEY = 're_test_standin_key';
export const UNSUBSCRIBE_SECRET = 'test-unsubscribe-secret';
export const UNSUBSCRIBE_URL = 'https://functions.zhengrowth.test/unsubscribe';
/** Svix secrets are base64 behind a whsec_ prefix. */
export const RESEND_WEBHOOK_SECRET = `whsec_${Buffer.from('test resend webhook signing secret').toString('base64')}`;

export interface Clock {
  now: () => Date;
  advance: (ms: number) => void;
  sleeps: number[];
}

export function testClock(start = new Date()): Clock {
  let t = start.getTime();
  const clock: Clock = { now: () => new Date(t), advance: (ms) => void (t += ms), sleeps: [] };
  return clock;
}

export interface MessagingEnv {
  fb: TestFirebase;
  db: Firestore;
  resend: ResendStandIn;
  push: PushStandIn;
  clock: Clock;
  vapid: { publicKey: string; privateKey: string };
  emailDeps(overrides?: Partial<EmailDeps>): EmailDeps;
  pushDeps(overrides?: Partial<PushDeps>): PushDeps;
  webhookDeps(): WebhookDeps;
  close(): Promise<void>;
}

export async function messagingEnv(label: string): Promise<MessagingEnv> {
  const fb = testFirebase(testProjectId(label));
  const [resend, push] = await Promise.all([startResendStandIn(), startPushStandIn()]);
  await loadEmailTemplates(fb.db);
  const clock = testClock();
  const vapid = webpush.generateVAPIDKeys();
  const sleep = (ms: number): Promise<void> => {
    clock.sleeps.push(ms);
    clock.advance(ms);
    return Promise.resolve();
  };
  return {
    fb,
    db: fb.db,
    resend,
    push,
    clock,
    vapid,
    emailDeps: (overrides = {}) => ({
      db: fb.db,
      now: clock.now,
      gateway: () => resendGateway({ apiKey: RESEND_KEY, apiBase: resend.origin }),
      // No cache: a test that changes a template sees the change.
      templates: firestoreTemplateStore(fb.db, 0),
      from: 'ZhenGrowth <hello@zhengrowth.test>',
      replyTo: 'support@zhengrowth.test',
      retry: DEFAULT_RETRY_POLICY,
      leaseMs: 60_000,
      logRetentionDays: 180,
      unsubscribe: { url: UNSUBSCRIBE_URL, secret: UNSUBSCRIBE_SECRET },
      random: () => 0.5,
      sleep,
      ...overrides,
    }),
    pushDeps: (overrides = {}) => ({
      db: fb.db,
      now: clock.now,
      push: () => webPushGateway({ ...vapid, subject: 'mailto:push@zhengrowth.test' }),
      allowLoopbackEndpoints: true,
      leaseMs: 60_000,
      freshnessMs: 3_600_000,
      sleep,
      ...overrides,
    }),
    webhookDeps: () => ({ db: fb.db, now: clock.now, secret: RESEND_WEBHOOK_SECRET, ledgerRetentionDays: 30 }),
    close: async () => {
      await Promise.all([resend.close(), push.close()]);
      await fb.close();
    },
  };
}

/** A Svix-signed delivery as Resend sends it (signed `atSeconds` ago, default now). */
export function svixHeaders(body: string, secret: string, msgId: string, at = new Date()): Record<string, string> {
  return { 'svix-id': msgId, 'svix-timestamp': String(Math.floor(at.getTime() / 1000)), 'svix-signature': new Webhook(secret).sign(msgId, at, body) };
}

export async function seedProfile(
  db: Firestore,
  uid: string,
  p: { email: string; lang: string | null; timezone?: string | null; name?: string | null; roles?: Array<'admin' | 'coach' | 'client'> },
): Promise<void> {
  await put(db.doc(users.docPath({ uid })).withConverter(users.converter), {
    profile_id: null,
    email: p.email,
    name: p.name ?? 'Mei Lin',
    avatar_url: null,
    lang: p.lang,
    timezone: p.timezone ?? 'Asia/Taipei',
    created_at: Timestamp.now(),
    updated_at: null,
    metadata: null,
    roles: p.roles ?? ['client'],
    role_grants: {},
  });
}
