/**
 * What an order's new state calls for, written in the transaction that folds its facts (state.ts):
 * the payment record, the receipt, registrations and the paid booking, the confirmation e-mail and
 * the domain events. Each is guarded by the state change that calls for it, so each happens once.
 */
import type { Timestamp } from 'firebase-admin/firestore';
import { type Firestore, type Transaction } from 'firebase-admin/firestore';
import {
  bookings,
  eventRegistrations,
  fromMinorUnits,
  payments,
  receipts,
  type JsonValue,
  type OrderDoc,
  type OrderItem,
  type PaymentDoc,
} from '@zhengrowth/model';
import { txMerge, txSet } from '../core/firestore.js';
import { eventRegisteredFact, recordDomainEvent } from '../shared/domain-events.js';
import type { ReferralConversion } from '../growth/referral-conversion.js';
import { queueEmail } from '../shared/outbox.js';
import { isPaid } from '../shared/orders.js';
import { bookingStatus, registrationStatus, type OrderFact, type Provider } from './fold.js';

export interface PaymentChange {
  orderId: string;
  /** The order as folded (its new state) and as it was. */
  o: OrderDoc;
  before: OrderDoc;
  facts: readonly OrderFact[];
  items: readonly OrderItem[];
  referral: ReferralConversion | null;
  now: Timestamp;
}

/** The payment record and what a payment brings (receipt, e-mail, domain events, the referral), or a failure's record. */
export function writePaymentEffects(tx: Transaction, db: Firestore, c: PaymentChange): void {
  const { orderId, o, before, facts, now } = c;
  const provider = (o.payment_provider ?? 'stripe') as Provider;
  const paymentObjectId = o.payment_intent_id ?? o.payment_id ?? orderId;
  const paymentRef = db.doc(payments.docPath({ paymentId: `${provider}-${paymentObjectId}` })).withConverter(payments.converter);
  if (isPaid(o) && !isPaid(before)) {
    const paidFact = facts.find((f) => f.kind === 'paid');
    txSet(tx, paymentRef, {
      user_id: o.user_id,
      order_id: orderId,
      amount_minor: o.paid_minor ?? o.total_minor,
      currency: o.currency,
      provider,
      provider_id: paymentObjectId,
      status: o.status === 'paid' ? 'succeeded' : (o.status ?? 'succeeded'),
      metadata: { session_id: paidFact?.kind === 'paid' ? (paidFact.sessionId ?? null) : null, order_number: o.order_number },
      created_at: now,
    });
    paidNow(tx, db, c);
  } else if (isPaid(o) && o.status !== before.status) {
    const update: Partial<PaymentDoc> = { status: o.status ?? 'succeeded' };
    txMerge(tx, paymentRef, update);
  } else if (!isPaid(o) && o.status === 'failed' && before.status !== 'failed') {
    const failed = facts.find((f) => f.kind === 'failed');
    if (failed?.kind === 'failed' && failed.paymentObjectId) {
      txSet(tx, db.doc(payments.docPath({ paymentId: `${failed.provider}-${failed.paymentObjectId}` })).withConverter(payments.converter), {
        user_id: o.user_id,
        order_id: orderId,
        amount_minor: o.total_minor,
        currency: o.currency,
        provider: failed.provider,
        provider_id: failed.paymentObjectId,
        status: 'failed',
        metadata: { reason: failed.reason, order_number: o.order_number },
        created_at: now,
      });
    }
  }
}

/** What the payment itself brings, once: the receipt, the e-mail, the followers' events, the referral. */
function paidNow(tx: Transaction, db: Firestore, { orderId, o, items, referral, now }: PaymentChange): void {
  if (o.user_id) writeReceipt(tx, db, orderId, o, now);
  // Not for an order refunded in full before its payment was reported.
  if (o.status !== 'refunded') queueConfirmationEmail(tx, db, orderId, o, items, now);
  // Followers (funnels, badges, referrals) learn of the purchase in this same transaction.
  const paid = o.paid_minor ?? o.total_minor;
  recordDomainEvent(tx, db, { type: 'purchase', userId: o.user_id, subjectId: orderId, data: { currency: o.currency, amount_minor: paid } }, now);
  // A paid ticket registers its holder as a free one does: event_registered once per registration.
  if (registrationStatus(o.status, o.capacity_state).status === 'registered') recordTicketRegistrations(tx, db, o, items, now);
  referral?.complete({ orderId, currency: o.currency, paidMinor: paid }, now);
}

function recordTicketRegistrations(tx: Transaction, db: Firestore, o: OrderDoc, items: readonly OrderItem[], now: Timestamp): void {
  for (const it of items) {
    if (it.kind !== 'event_ticket') continue;
    for (const registrationId of it.registration_ids ?? []) recordDomainEvent(tx, db, eventRegisteredFact(it.ref_id, registrationId, o.user_id, 'paid'), now);
  }
}

/** The receipt of a paid order, under its buyer (a guest's is written when the order joins an account). */
export function writeReceipt(tx: Transaction, db: Firestore, orderId: string, o: OrderDoc, now: Timestamp): void {
  if (!o.user_id) return;
  txSet(tx, db.doc(receipts.docPath({ uid: o.user_id, receiptId: orderId })).withConverter(receipts.converter), {
    user_id: o.user_id,
    order_id: orderId,
    amount_minor: o.paid_minor ?? o.total_minor,
    currency: o.currency,
    receipt_url: null,
    issued_at: o.paid_at ?? now,
    metadata: { order_number: o.order_number, provider: o.payment_provider ?? 'stripe' },
  });
}

/** Registrations and the paid booking show the order's status. */
export function writeRegistrationsAndBooking(tx: Transaction, db: Firestore, o: OrderDoc, items: readonly OrderItem[], now: Timestamp): void {
  const reg = registrationStatus(o.status, o.capacity_state);
  for (const it of items) {
    if (it.kind !== 'event_ticket') continue;
    for (const registrationId of it.registration_ids ?? []) {
      const ref = db.doc(eventRegistrations.docPath({ eventId: it.ref_id, registrationId })).withConverter(eventRegistrations.converter);
      txMerge(tx, ref, {
        ...reg,
        ...(reg.payment_status === 'paid' ? { amount_paid_minor: it.unit_amount_minor, currency: it.currency } : {}),
        updated_at: now,
      });
    }
  }
  if (o.booking_id) {
    const ref = db.doc(bookings.docPath({ bookingId: o.booking_id })).withConverter(bookings.converter);
    txMerge(tx, ref, { status: bookingStatus(o.status), payment_id: o.payment_intent_id ?? o.payment_id ?? null, updated_at: now });
  }
}

/** What checkout put in the order's metadata for its e-mails: a guest's manage link and the tickets' QR tokens. */
function linksOf(o: OrderDoc): { manage_url: string | null; tickets: JsonValue } {
  const m = o.metadata !== null && typeof o.metadata === 'object' && !Array.isArray(o.metadata) ? o.metadata : {};
  return { manage_url: typeof m.manage_url === 'string' ? m.manage_url : null, tickets: Array.isArray(m.tickets) ? m.tickets : [] };
}

function queueConfirmationEmail(tx: Transaction, db: Firestore, orderId: string, o: OrderDoc, items: readonly OrderItem[], now: Timestamp): void {
  const total = `${fromMinorUnits(o.paid_minor ?? o.total_minor, o.currency)} ${o.currency}`;
  const lines = items.map((it) => `${it.quantity} × ${it.title}`).join('\n');
  const links = linksOf(o);
  queueEmail(
    tx,
    db,
    `order-${orderId}-confirmation`,
    {
      to: o.customer_email,
      template: 'order_confirmation',
      subject: `Your ZhenGrowth order ${o.order_number}`,
      text: `Thank you${o.customer_name ? `, ${o.customer_name}` : ''}. We received ${total} for order ${o.order_number}.\n\n${lines}${links.manage_url ? `\n\nSee your order: ${links.manage_url}` : ''}`,
      variables: { order_id: orderId, order_number: o.order_number, total, currency: o.currency, name: o.customer_name, lines, ...links },
    },
    now,
  );
}
