/**
 * What the webhooks share: the request and answer shapes, signature helpers, and the exactly-once
 * rule — a delivery is recorded under its provider event id in the one ledger (core/ledger.ts) in
 * the same transaction as its effects, so a repeat (sequential or concurrent) finds the record and
 * changes nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Transaction } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions/logger';
import { ModelValidationError, type WEBHOOK_PROVIDERS } from '@zhengrowth/model';
import type { Deps } from './deps.js';
import { runTx } from './firestore.js';
import { deliveryRef, readDelivery } from './ledger.js';

export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];

export interface WebhookRequest {
  /** The body exactly as received: signatures are over these bytes. */
  rawBody: Buffer;
  /** A request header by case-insensitive name. */
  header(name: string): string | undefined;
}

export type Outcome = 'applied' | 'ignored' | 'duplicate';

export interface WebhookResponse {
  status: 200 | 400 | 500;
  body: { received: boolean; outcome?: Outcome; type?: string; error?: string };
}

export interface WebhookDeps extends Deps {
  /** The provider's signing secret (from defineSecret). */
  secret: string;
  /** How long the ledger keeps a delivery (WEBHOOK_LEDGER_RETENTION_DAYS): longer than any provider retries it. */
  ledgerRetentionDays: number;
}

/** 400: the delivery is not acceptable as sent. Nothing was written. */
export function reject(reason: string): WebhookResponse {
  return { status: 400, body: { received: false, error: reason } };
}

export function accepted(outcome: Outcome, type: string): WebhookResponse {
  return { status: 200, body: { received: true, outcome, type } };
}

export function hmacSha256Hex(secret: string, ...parts: (string | Buffer)[]): string {
  const h = createHmac('sha256', secret);
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** Constant-time comparison of a hex signature with the expected one. */
export function signatureMatches(expectedHex: string, givenHex: string): boolean {
  const given = givenHex.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(given) || given.length !== expectedHex.length) return false;
  return timingSafeEqual(Buffer.from(expectedHex, 'hex'), Buffer.from(given, 'hex'));
}

/** A handler bug or a store failure that the provider should retry: answered 500. */
export class RetryLater extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryLater';
  }
}

export interface Effect {
  outcome: 'applied' | 'ignored';
  /** Order id or booking uid, for the record. */
  subject: string | null;
}

/**
 * Run `effect` and record the delivery in one transaction, unless it is already recorded. The
 * effect must do all of its reads before its writes, and be safe to run again (transactions retry).
 */
export async function applyOnce(
  deps: WebhookDeps,
  provider: WebhookProvider,
  eventId: string,
  type: string,
  effect: (tx: Transaction) => Promise<Effect>,
): Promise<Outcome> {
  const key = { kind: 'webhook', source: provider, eventId } as const;
  // A repeat of a delivery applied earlier: known without a transaction.
  if ((await deliveryRef(deps.db, key).get()).exists) return 'duplicate';
  return runTx(
    deps.db,
    async (tx) => {
      const delivery = await readDelivery(tx, deps.db, key, deps.now(), deps.ledgerRetentionDays);
      if (delivery.seen) return 'duplicate' as const;
      const { outcome, subject } = await effect(tx);
      delivery.record({ type, outcome, subject });
      return outcome;
    },
    // Many concurrent deliveries of one event wait on the same documents: allow for the queue.
    { maxAttempts: 30 },
  );
}

/**
 * The common frame of a webhook: runs the provider's handler, and turns anything unexpected into
 * a 500 (so the provider retries) with a log line that names the event but carries no payload.
 */
export async function runWebhook(
  name: string,
  handler: (req: WebhookRequest, deps: WebhookDeps) => Promise<WebhookResponse>,
  req: WebhookRequest,
  deps: WebhookDeps,
): Promise<WebhookResponse> {
  try {
    const res = await handler(req, deps);
    if (res.status === 400) logger.warn(`${name} rejected a delivery`, { function: name, reason: res.body.error });
    return res;
  } catch (err) {
    logger.error(`${name} failed; the provider will retry`, {
      function: name,
      error: err instanceof Error ? err.message : String(err),
      kind: err instanceof ModelValidationError ? 'model-validation' : err instanceof Error ? err.name : typeof err,
    });
    return { status: 500, body: { received: false, error: 'internal error; retry later' } };
  }
}
