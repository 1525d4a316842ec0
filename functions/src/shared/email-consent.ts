/**
 * Double opt-in of a lead's address (email_consents): a form for an address that has not confirmed
 * queues one confirmation e-mail with a signed link (at most one a day per address, whatever the
 * forms), unless the signed-in submitter's own verified address it is, which confirms it at once.
 * The link (`confirmLeadEmail`) confirms it. Every change to confirmed records `lead_confirmed`,
 * and funnels e-mail a lead only once its address is confirmed (funnels/enrol.ts, advance.ts), so
 * nobody can make us mail a stranger more than that one confirmation a day.
 */
import { createHash } from 'node:crypto';
import type { Firestore, Timestamp, Transaction } from 'firebase-admin/firestore';
import { emailConsents, type EmailConsentDoc } from '@zhengrowth/model';
import { txSet } from '../core/firestore.js';
import { recordDomainEvent } from './domain-events.js';
import { leadConfirmUrl, type LinkSigner } from './links.js';
import { queueEmail } from './outbox.js';

/** How often one address may be asked to confirm. */
export const CONFIRM_REQUEST_EVERY_MS = 86_400_000;

export function normalEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The id of an address's documents (its consent; a lead made from a form): sha256 of the lower-cased address. */
export function addressId(email: string): string {
  return createHash('sha256').update(normalEmail(email)).digest('hex').slice(0, 40);
}

export const consentRef = (db: Firestore, consentId: string) => db.doc(emailConsents.docPath({ consentId })).withConverter(emailConsents.converter);

export interface Consent {
  id: string;
  email: string;
  doc: EmailConsentDoc | undefined;
}

/** The address's consent, read in the caller's transaction (before it writes). */
export async function readConsent(tx: Transaction, db: Firestore, email: string): Promise<Consent> {
  const id = addressId(email);
  return { id, email: normalEmail(email), doc: (await tx.get(consentRef(db, id))).data() };
}

export const isConfirmed = (c: Consent): boolean => Boolean(c.doc?.confirmed_at);

function confirm(tx: Transaction, db: Firestore, c: Consent, leadId: string, via: 'link' | 'verified_account', now: Timestamp): void {
  txSet(tx, consentRef(db, c.id), {
    email: c.email,
    confirmed_at: now,
    confirmed_via: via,
    requested_at: c.doc?.requested_at ?? null,
    requests: c.doc?.requests ?? 0,
    created_at: c.doc?.created_at ?? now,
    updated_at: now,
  });
  recordDomainEvent(tx, db, { type: 'lead_confirmed', userId: null, leadId, subjectId: c.id, data: { via } }, now);
}

export interface ConsentRequest {
  leadId: string;
  name: string | null;
  /** The submitter signed in with this address, verified. */
  accountVerified: boolean;
  links: LinkSigner;
  appUrl: string;
}

/** What a form does for its address, in the fold's transaction: nothing, confirm it, or ask (once a day). */
export function requestConsent(tx: Transaction, db: Firestore, c: Consent, req: ConsentRequest, now: Timestamp): 'confirmed' | 'asked' | 'waiting' | 'already' {
  if (isConfirmed(c)) return 'already';
  if (req.accountVerified) {
    confirm(tx, db, c, req.leadId, 'verified_account', now);
    return 'confirmed';
  }
  const last = c.doc?.requested_at?.toMillis();
  if (last !== undefined && now.toMillis() - last < CONFIRM_REQUEST_EVERY_MS) return 'waiting';
  const token = req.links.sign('lead-confirm', { leadId: req.leadId, consentId: c.id }, now.toDate());
  // One id per address and window: a retried fold queues the same e-mail, never a second.
  queueEmail(
    tx,
    db,
    `lead-confirm-${c.id}-${Math.floor(now.toMillis() / CONFIRM_REQUEST_EVERY_MS)}`,
    {
      to: c.email,
      template: 'lead_confirmation',
      variables: { name: req.name, link: leadConfirmUrl(req.appUrl, token) },
      subject: 'Please confirm your e-mail address for ZhenGrowth',
      text: 'Confirm your address to receive ZhenGrowth e-mail.',
    },
    now,
  );
  txSet(tx, consentRef(db, c.id), {
    email: c.email,
    confirmed_at: null,
    confirmed_via: null,
    requested_at: now,
    requests: (c.doc?.requests ?? 0) + 1,
    created_at: c.doc?.created_at ?? now,
    updated_at: now,
  });
  return 'asked';
}

/** The signed link's answer: confirms the address (once; a repeat changes nothing). */
export function confirmByLink(tx: Transaction, db: Firestore, c: Consent, leadId: string, now: Timestamp): boolean {
  if (isConfirmed(c)) return false;
  confirm(tx, db, c, leadId, 'link', now);
  return true;
}

/** Whether a lead's current address is confirmed (read outside a transaction, e.g. before enrolling). */
export async function addressConfirmed(db: Firestore, email: string): Promise<boolean> {
  return Boolean((await consentRef(db, addressId(email)).get()).data()?.confirmed_at);
}
