/**
 * The one exactly-once ledger against the Firestore emulator: a trigger's event and a webhook
 * delivery are recorded in `deliveries` with their kind and their kind's retention, and a repeat of
 * either finds its record and applies nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries } from '@zhengrowth/model';
import { testFirebase, testProjectId, type TestFirebase } from '@zhengrowth/devstack/testing';
import { runTx } from '../src/core/firestore.js';
import { deliveryRef, readReceipt, TRIGGER_LEDGER_RETENTION_DAYS } from '../src/core/ledger.js';
import { applyOnce, type WebhookDeps } from '../src/core/webhook-delivery.js';
import { uniq } from './support/env.js';

let fb: TestFirebase;
beforeAll(() => {
  fb = testFirebase(testProjectId('ledger'));
});
afterAll(async () => {
  await fb?.close();
});

const DAY = 86_400_000;
const now = new Date('2026-06-01T12:00:00Z');

describe('the exactly-once ledger', () => {
  it("records a trigger's event once, kept for the triggers' retention", async () => {
    const eventId = uniq('ev');
    const applyTwice = async () => {
      let applied = 0;
      for (let i = 0; i < 2; i++) {
        await runTx(fb.db, async (tx) => {
          const receipt = await readReceipt(tx, fb.db, 'like-count', eventId, now);
          if (receipt.seen) return;
          applied++;
          receipt.record();
        });
      }
      return applied;
    };
    expect(await applyTwice()).toBe(1);
    const record = (await deliveryRef(fb.db, { kind: 'trigger', source: 'like-count', eventId }).get()).data();
    expect(record).toMatchObject({ kind: 'trigger', source: 'like-count', event_id: eventId, type: null, outcome: 'applied' });
    expect(record?.expires_at.toMillis()).toBe(now.getTime() + TRIGGER_LEDGER_RETENTION_DAYS * DAY);
    // Another handler's delivery of the same event is its own.
    expect((await deliveryRef(fb.db, { kind: 'trigger', source: 'badge-count', eventId }).get()).exists).toBe(false);
  });

  it('records a webhook delivery under {provider}:{event id}, kept for the webhook retention', async () => {
    const deps: WebhookDeps = { db: fb.db, now: () => now, secret: 'unused', ledgerRetentionDays: 30 };
    const eventId = uniq('evt_');
    const effect = () => Promise.resolve({ outcome: 'applied' as const, subject: 'order-1' });
    const outcomes = await Promise.all([1, 2, 3].map(() => applyOnce(deps, 'stripe', eventId, 'charge.refunded', effect)));
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(2);
    const record = (
      await fb.db
        .doc(deliveries.docPath({ deliveryId: `stripe:${eventId}` }))
        .withConverter(deliveries.converter)
        .get()
    ).data();
    expect(record).toMatchObject({ kind: 'webhook', source: 'stripe', type: 'charge.refunded', outcome: 'applied', subject: 'order-1' });
    expect(record?.expires_at.toMillis()).toBe(now.getTime() + 30 * DAY);
  });
});
