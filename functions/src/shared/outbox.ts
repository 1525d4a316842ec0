/**
 * What a transaction says to people: an e-mail queued for the sender (email_queue) and a notice in
 * the user's in-app inbox. Both are written in the caller's transaction, with ids the caller
 * derives from the fact (an order, a booking, a reminder), so a retried effect queues nothing twice.
 * The e-mail sender (messaging/email: the queue trigger and the every-minute sweep) and the push
 * of inbox items (messaging/push) follow these documents. An id that may already hold an item must
 * be checked by the caller first: queueEmail overwrites (the trigger fires on creation only).
 */
import type { Firestore, Timestamp, Transaction } from 'firebase-admin/firestore';
import { emailQueue, inbox, type AppLang, type EmailValidIf, type JsonValue } from '@zhengrowth/model';
import { txSet } from '../core/firestore.js';

export interface EmailRequest {
  to: string;
  /** The email_templates slug; the sender picks the recipient's language version. */
  template: string;
  /** Fills the template's placeholders; every placeholder the template names must be here. */
  variables: { [key: string]: JsonValue };
  /** Written as the queue item's literal subject and text: what a reader of the queue sees (and the fallback for old items). */
  subject: string;
  text: string;
  /** Not before this time (a reminder); now when absent. */
  scheduledFor?: Timestamp;
  /** The recipient's language, when the caller knows it (else the sender looks the recipient up by e-mail). */
  lang?: AppLang | null;
  /** The recipient's user, when known. */
  userId?: string | null;
  /** Send only while that document still says this (a reminder: the session's time); else the item is cancelled. */
  validIf?: EmailValidIf | null;
}

export function queueEmail(tx: Transaction, db: Firestore, emailId: string, req: EmailRequest, now: Timestamp): void {
  txSet(tx, db.doc(emailQueue.docPath({ emailId })).withConverter(emailQueue.converter), {
    to_email: req.to,
    template_slug: req.template,
    subject: req.subject,
    body_html: null,
    body_text: req.text,
    variables: req.variables,
    status: 'pending',
    scheduled_for: req.scheduledFor ?? now,
    sent_at: null,
    error: null,
    attempts: 0,
    created_at: now,
    ...(req.lang ? { lang: req.lang } : {}),
    ...(req.userId ? { user_id: req.userId } : {}),
    ...(req.validIf ? { valid_if: req.validIf } : {}),
  });
}

export interface InboxNotice {
  type: string;
  title: string;
  message: string;
  action_url?: string | null;
  metadata?: JsonValue | null;
  expires_at?: Timestamp | null;
}

export function notifyInbox(tx: Transaction, db: Firestore, uid: string, itemId: string, notice: InboxNotice, now: Timestamp): void {
  txSet(tx, db.doc(inbox.docPath({ uid, itemId })).withConverter(inbox.converter), {
    user_id: uid,
    type: notice.type,
    title: notice.title,
    message: notice.message,
    action_url: notice.action_url ?? null,
    read: false,
    read_at: null,
    metadata: notice.metadata ?? null,
    created_at: now,
    expires_at: notice.expires_at ?? null,
  });
}
