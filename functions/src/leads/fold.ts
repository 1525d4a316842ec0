/**
 * One lead per lower-cased e-mail. Every public form — a lead_forms document created under the
 * rules, or the `submitLead` callable, which writes the same document — is folded in here, in one
 * transaction: a new address makes the lead (id: sha256 of the lower-cased address, so two forms
 * at the same instant meet on one document and the second becomes a fold), scores it, gives it to
 * the next coach round-robin, tells that coach in their inbox and records `lead_created` (funnels
 * enrol on it). A known address gets the form's answers where the lead has blanks, a new score,
 * and the form in its history. Each form is folded once: its history entry `form-{formId}` is
 * read and written in the same transaction.
 *
 * Leads migrated from Supabase keep their uuid ids: a form for such an address (as typed, or
 * lower-cased) folds into the oldest of them instead of making a new one.
 */
import { createHash } from 'node:crypto';
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { leadHistory, leadRouting, leads, leadsByAnyEmail, usersWithRole, type LeadDoc, type LeadFormDoc } from '@zhengrowth/model';
import type { Deps } from '../core/deps.js';
import { txCreate, txMerge, txSet, runTx } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import { recordDomainEvent } from '../shared/domain-events.js';
import { notifyInbox } from '../shared/outbox.js';
import { scoreLead } from './score.js';

export function normalEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function leadIdFor(email: string): string {
  return createHash('sha256').update(normalEmail(email)).digest('hex').slice(0, 40);
}

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
  created: boolean;
  /** False when the form had been folded before (a redelivery). */
  applied: boolean;
}

export async function foldLeadForm(deps: Deps, formId: string, form: LeadFormDoc): Promise<FoldResult> {
  const db = deps.db;
  const leadId = await targetLead(db, form.email);
  const coaches = (await buildQuery(db, usersWithRole, ['coach']).select().get()).docs.map((d) => d.id);
  const now = Timestamp.fromDate(deps.now());
  return runTx(db, async (tx) => {
    const entry = historyRef(db, leadId, `form-${formId}`);
    if ((await tx.get(entry)).exists) return { leadId, created: false, applied: false };
    const lead = (await tx.get(leadRef(db, leadId))).data();
    const routing = !lead || lead.owner === null ? (await tx.get(routingRef(db))).data() : undefined;
    const owner = lead?.owner ?? nextOwner(coaches, routing?.last_owner ?? null);
    const filled = lead ? (['name', 'phone', 'source'] as const).filter((k) => lead[k] === null && form[k] !== null) : [];
    txCreate(tx, entry, {
      kind: 'form',
      at: now,
      form_id: formId,
      email: form.email,
      name: form.name,
      phone: form.phone,
      source: form.source,
      filled: [...filled],
      owner: null,
    });
    if (lead) {
      const newOwner = lead.owner === null ? owner : null;
      mergeForm(tx, db, leadId, { lead, form, filled, owner: newOwner }, now);
      if (newOwner) assign(tx, db, leadId, { email: lead.email, name: lead.name ?? form.name }, newOwner, now);
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
    if (owner) assign(tx, db, leadId, { email: normalEmail(form.email), name: form.name }, owner, now);
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

/** The round-robin state, the lead's history and the coach's notice (the lead's own write carries `owner`). */
function assign(tx: Transaction, db: Firestore, leadId: string, who: { email: string; name: string | null }, owner: string, now: Timestamp): void {
  txSet(tx, routingRef(db), { last_owner: owner, updated_at: now });
  txCreate(tx, historyRef(db, leadId, 'assigned'), {
    kind: 'assigned',
    at: now,
    form_id: null,
    email: null,
    name: null,
    phone: null,
    source: null,
    filled: [],
    owner,
  });
  notifyInbox(
    tx,
    db,
    owner,
    `lead-${leadId}-assigned`,
    {
      type: 'lead_assigned',
      title: 'A new lead for you',
      message: who.name ? `${who.name} <${who.email}> filled in a form.` : `${who.email} filled in a form.`,
      action_url: `/admin/leads/${leadId}`,
      metadata: { lead_id: leadId },
    },
    now,
  );
}
