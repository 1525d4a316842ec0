/**
 * One lead per lower-cased e-mail. Every public form — a lead_forms document created under the
 * rules, or the `submitLead` callable, which writes the same document — is folded in here, in one
 * transaction: a new address makes the lead (id: sha256 of the lower-cased address, so two forms
 * at the same instant meet on one document and the second becomes a fold), scores it, gives it to
 * the next coach round-robin, tells that coach in their inbox — one notice per coach per ten
 * minutes, which later leads of those minutes join (a burst of forms is one notice, one push) —
 * and records `lead_created` (funnels enrol on it once the address confirms: shared/email-consent.ts,
 * which the form asks in the same transaction). A known address gets the form's answers where the lead has blanks, a new score,
 * and the form in its history. Each form is folded once: its history entry `form-{formId}` is
 * read and written in the same transaction.
 *
 * Leads migrated from Supabase keep their uuid ids: a form for such an address (as typed, or
 * lower-cased) folds into the oldest of them instead of making a new one.
 */
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import {
  inbox,
  leadHistory,
  leadRouting,
  leads,
  leadsByAnyEmail,
  usersWithRole,
  type InboxItemDoc,
  type JsonValue,
  type LeadDoc,
  type LeadFormDoc,
} from '@zhengrowth/model';
import { txCreate, txMerge, txSet, runTx } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import { recordDomainEvent } from '../shared/domain-events.js';
import { addressId, normalEmail, readConsent, requestConsent } from '../shared/email-consent.js';
import { notifyInbox, type InboxNotice } from '../shared/outbox.js';
import type { LeadDeps } from './deps.js';
import { historyEntry } from './history.js';
import { scoreLead } from './score.js';

/** A lead made from a form has its address's id (the same as the address's consent). */
export const leadIdFor = addressId;

const leadRef = (db: Firestore, leadId: string) => db.doc(leads.docPath({ leadId })).withConverter(leads.converter);
const historyRef = (db: Firestore, leadId: string, entryId: string) => db.doc(leadHistory.docPath({ leadId, entryId })).withConverter(leadHistory.converter);
const routingRef = (db: Firestore) => db.doc(leadRouting.docPath({ key: 'coaches' })).withConverter(leadRouting.converter);

/** The lead a form folds into: a migrated lead with the address, or the address's own id. */
async function targetLead(db: Firestore, email: string): Promise<string> {
  const forms = [...new Set([email.trim(), normalEmail(email)])];
  const found = await buildQuery(db, leadsByAnyEmail, [forms]).withConverter(leads.converter).get();
  const oldest = found.docs.sort((a, b) => (a.data().created_at?.toMillis() ?? 0) - (b.data().created_at?.toMillis() ?? 0))[0];
  return oldest?.id ?? leadIdFor(email);
}

/** The coach after `last` in uid order (round-robin), or null when there are no coaches. */
export function nextOwner(coaches: readonly string[], last: string | null): string | null {
  const sorted = [...coaches].sort();
  return sorted.find((c) => last === null || c > last) ?? sorted[0] ?? null;
}

function metadataMap(m: LeadDoc['metadata']): Record<string, unknown> {
  return m && typeof m === 'object' && !Array.isArray(m) ? { ...m } : {};
}

export interface FoldResult {
  leadId: string;
  /** This form made the lead (also when it was folded before, by the trigger or a first delivery). */
  created: boolean;
  /** False when the form had been folded before (a redelivery). */
  applied: boolean;
}

export async function foldLeadForm(deps: LeadDeps, formId: string, form: LeadFormDoc): Promise<FoldResult> {
  const db = deps.db;
  const leadId = await targetLead(db, form.email);
  const coaches = (await buildQuery(db, usersWithRole, ['coach']).select().get()).docs.map((d) => d.id);
  const now = Timestamp.fromDate(deps.now());
  return runTx(db, async (tx) => {
    const entry = historyRef(db, leadId, `form-${formId}`);
    const folded = (await tx.get(entry)).data();
    const lead = (await tx.get(leadRef(db, leadId))).data();
    // Folded before (a redelivery, or the trigger was first): its entry says whether it made the lead.
    if (folded) return { leadId, created: folded.made_lead === true, applied: false };
    // A coach who enters a lead by hand keeps it; other leads go round the coaches.
    const adder = form.added_by && coaches.includes(form.added_by) ? form.added_by : null;
    const unowned = !lead || lead.owner === null;
    const routing = unowned && !adder ? (await tx.get(routingRef(db))).data() : undefined;
    const owner = lead?.owner ?? adder ?? nextOwner(coaches, routing?.last_owner ?? null);
    // The notice this lead would join, read now: a transaction reads everything before it writes.
    // The coach who entered it needs none.
    const notice = owner !== null && unowned && owner !== adder ? await readNotice(tx, db, owner, now) : null;
    const consent = await readConsent(tx, db, form.email);
    const filled = lead ? (['name', 'phone', 'source'] as const).filter((k) => lead[k] === null && form[k] !== null) : [];
    const by = form.added_by ? { by: form.added_by } : {};
    const fields = { form_id: formId, email: form.email, name: form.name, phone: form.phone, source: form.source, filled: [...filled], made_lead: !lead };
    txCreate(tx, entry, historyEntry('form', now, { ...fields, ...by }));
    // Double opt-in: the address is asked to confirm (once a day), or confirmed by the submitter's verified account.
    const asking = { leadId, name: lead?.name ?? form.name, accountVerified: form.account_verified === true, links: deps.links, appUrl: deps.appUrl };
    requestConsent(tx, db, consent, asking, now);
    if (lead) {
      const newOwner = lead.owner === null ? owner : null;
      mergeForm(tx, db, leadId, { lead, form, filled, owner: newOwner }, now);
      if (newOwner) assign(tx, db, leadId, newOwner, { email: lead.email, name: lead.name ?? form.name }, notice, now);
      return { leadId, created: false, applied: true };
    }
    txSet(tx, leadRef(db, leadId), {
      email: normalEmail(form.email),
      name: form.name,
      phone: form.phone,
      source: form.source,
      stage: 'new',
      status: 'active',
      owner,
      tags: [],
      notes: null,
      score: scoreLead({ ...form, forms: 1 }),
      metadata: { forms: 1 },
      created_at: now,
      updated_at: now,
      last_contacted_at: null,
    });
    if (owner !== null) assign(tx, db, leadId, owner, { email: normalEmail(form.email), name: form.name }, notice, now);
    recordDomainEvent(tx, db, { type: 'lead_created', userId: form.user_id, leadId, subjectId: leadId }, now);
    return { leadId, created: true, applied: true };
  });
}

interface Fold {
  lead: LeadDoc;
  form: LeadFormDoc;
  filled: readonly string[];
  /** A coach for a lead that had none. */
  owner: string | null;
}

function mergeForm(tx: Transaction, db: Firestore, leadId: string, { lead, form, filled, owner }: Fold, now: Timestamp): void {
  const meta = metadataMap(lead.metadata);
  const forms = (typeof meta.forms === 'number' ? meta.forms : 1) + 1;
  const merged = { name: lead.name ?? form.name, phone: lead.phone ?? form.phone, source: lead.source ?? form.source };
  txMerge(tx, leadRef(db, leadId), {
    ...Object.fromEntries(filled.map((k) => [k, form[k as 'name' | 'phone' | 'source']])),
    score: Math.max(lead.score ?? 0, scoreLead({ ...merged, forms })),
    metadata: { ...meta, forms },
    ...(owner ? { owner } : {}),
    updated_at: now,
  });
}

/** New leads of the same ten minutes share one notice per coach. */
export const LEAD_NOTICE_WINDOW_MS = 10 * 60_000;
const NOTICE_LEADS_MAX = 50;

interface Notice {
  owner: string;
  itemId: string;
  current: InboxItemDoc | undefined;
}

async function readNotice(tx: Transaction, db: Firestore, owner: string, now: Timestamp): Promise<Notice> {
  const itemId = `leads-${Math.floor(now.toMillis() / LEAD_NOTICE_WINDOW_MS)}`;
  const current = (await tx.get(db.doc(inbox.docPath({ uid: owner, itemId })).withConverter(inbox.converter))).data();
  return { owner, itemId, current };
}

/** What a window's notice holds so far: the leads in it and their count. */
function noticeState(current: InboxItemDoc | undefined): { leadIds: string[]; count: number } {
  const m = current?.metadata;
  if (!m || typeof m !== 'object' || Array.isArray(m)) return { leadIds: [], count: 0 };
  const ids = Array.isArray(m.lead_ids) ? m.lead_ids.filter((x: JsonValue): x is string => typeof x === 'string') : [];
  return { leadIds: ids, count: typeof m.count === 'number' ? m.count : ids.length };
}

/** The coach's notice with this lead in it: made for the first lead of the window, then grown (its push went with the first). */
function noticeWith(notice: Notice, leadId: string, who: { email: string; name: string | null }): InboxNotice {
  const was = noticeState(notice.current);
  const known = was.leadIds.includes(leadId);
  const count = was.count + (known ? 0 : 1);
  const metadata = { lead_id: leadId, lead_ids: known ? was.leadIds : [...was.leadIds, leadId].slice(-NOTICE_LEADS_MAX), count };
  const person = who.name ? `${who.name} <${who.email}>` : who.email;
  return count === 1
    ? { type: 'lead_assigned', title: 'A new lead for you', message: `${person} filled in a form.`, action_url: `/admin/leads/${leadId}`, metadata }
    : { type: 'lead_assigned', title: `${count} new leads for you`, message: `The latest: ${person}.`, action_url: '/admin/leads', metadata };
}

/**
 * The lead's history and, for a lead the round-robin gave, its state and the coach's notice (the
 * lead's own write carries `owner`).
 */
function assign(
  tx: Transaction,
  db: Firestore,
  leadId: string,
  owner: string,
  who: { email: string; name: string | null },
  notice: Notice | null,
  now: Timestamp,
): void {
  txCreate(tx, historyRef(db, leadId, 'assigned'), historyEntry('assigned', now, { owner }));
  if (!notice) return;
  txSet(tx, routingRef(db), { last_owner: owner, updated_at: now });
  const item = noticeWith(notice, leadId, who);
  if (notice.current) {
    // Grown in place: created_at stays (no second push), and it is unread again.
    txMerge(tx, db.doc(inbox.docPath({ uid: owner, itemId: notice.itemId })).withConverter(inbox.converter), {
      title: item.title,
      message: item.message,
      action_url: item.action_url ?? null,
      metadata: item.metadata ?? null,
      read: false,
      read_at: null,
    });
  } else notifyInbox(tx, db, owner, notice.itemId, item, now);
}
