/**
 * Leads against the Firestore emulator: one lead per lower-cased e-mail whichever way a form is
 * folded (submitLead at once, or the onLeadFormCreated trigger for a form it did not fold) and
 * however many arrive at once; at most a few forms per address a day; a newer form fills blanks and is kept in the history; scoring; round-robin assignment with
 * the coach's notice; `lead_created` recorded once; redelivered triggers change nothing.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEvents, inbox, leadForms, leadHistory, leads, submitLead as submitLeadContract, type LeadFormDoc } from '@zhengrowth/model';
import { put } from '@zhengrowth/devstack/testing';
import { LEAD_NOTICE_WINDOW_MS, foldLeadForm, leadIdFor, nextOwner } from '../src/leads/fold.js';
import { scoreLead } from '../src/leads/score.js';
import type { LeadDeps } from '../src/leads/deps.js';
import { submitLead } from '../src/leads/submit.js';
import { call, refusal, growthWorld, leadDepsFor, member, uniq, type Auth, type GrowthWorld } from './support/growth.js';

let w: GrowthWorld;
let deps: LeadDeps;
let coaches: Auth[];
beforeAll(async () => {
  w = growthWorld('leads');
  deps = leadDepsFor(w);
  coaches = await Promise.all([member(w, ['coach']), member(w, ['coach']), member(w, ['client', 'coach'])]);
});
afterAll(async () => {
  await w?.close();
});

const submit = (data: Record<string, unknown>) => call(submitLeadContract, submitLead, deps, null, data);

/** A form recorded but not folded (a submitLead that stopped between the two), then what the onLeadFormCreated trigger does. */
async function formThroughRules(f: Partial<LeadFormDoc> & { email: string }, delivered = 1): Promise<string> {
  const ref = w.db.collection(leadForms.collectionPath({})).doc();
  const form: LeadFormDoc = { name: null, phone: null, source: null, user_id: null, created_at: Timestamp.now(), ...f };
  await put(ref.withConverter(leadForms.converter), form);
  for (let i = 0; i < delivered; i++) await foldLeadForm(deps, ref.id, form);
  return ref.id;
}

async function leadsWith(email: string) {
  const all = await w.db.collection(leads.collectionPath({})).withConverter(leads.converter).get();
  return all.docs.filter((d) => d.data().email.toLowerCase() === email.toLowerCase()).map((d) => ({ id: d.id, ...d.data() }));
}

async function historyOf(leadId: string) {
  return (await w.db.collection(leadHistory.collectionPath({ leadId })).withConverter(leadHistory.converter).get()).docs.map((d) => ({
    id: d.id,
    ...d.data(),
  }));
}

describe('lead forms', () => {
  it('two forms at the same instant, mixed-case e-mails, by both folds: one lead, both forms in its history, blanks filled', async () => {
    const local = uniq('lin');
    const [a, b] = [`${local}@Example.com`, `${local.toUpperCase()}@example.COM`];
    await Promise.all([submit({ email: a, name: '林小姐', source: 'webinar' }), formThroughRules({ email: b, phone: '+886 912 345 678' })]);
    const found = await leadsWith(a);
    expect(found).toHaveLength(1);
    const lead = found[0]!;
    expect(lead.id).toBe(leadIdFor(b));
    expect(lead).toMatchObject({
      email: `${local}@example.com`.toLowerCase(),
      name: '林小姐',
      phone: '+886 912 345 678',
      source: 'webinar',
      stage: 'new',
      status: 'active',
    });
    expect(lead.score).toBe(scoreLead({ name: 'x', phone: 'x', source: 'webinar', forms: 2 }));
    const history = await historyOf(lead.id);
    expect(history.filter((h) => h.kind === 'form')).toHaveLength(2);
    // Whichever form came second filled what the first left blank.
    const filled = history
      .filter((h) => h.kind === 'form')
      .map((h) => [...h.filled].sort().join(','))
      .sort();
    expect([['', 'phone'].join('|'), ['', 'name,source'].join('|')]).toContain(filled.join('|'));
    expect((await w.db.doc(domainEvents.docPath({ eventId: `lead_created:${lead.id}:${lead.id}` })).get()).exists).toBe(true);
  });

  it('a newer form fills blanks only (it never overwrites), is kept in the history, and a redelivered trigger folds nothing twice', async () => {
    const email = `${uniq('mei')}@example.org`;
    await submit({ email, name: 'Mei' });
    const formId = await formThroughRules({ email: email.toUpperCase(), name: 'Someone Else', phone: '+86 138 1234 5678' }, 3);
    const [lead] = await leadsWith(email);
    expect(lead).toMatchObject({ name: 'Mei', phone: '+86 138 1234 5678', source: null, metadata: { forms: 2 } });
    const entry = (await historyOf(lead!.id)).find((h) => h.id === `form-${formId}`);
    expect(entry).toMatchObject({ kind: 'form', name: 'Someone Else', filled: ['phone'] });
    expect((await historyOf(lead!.id)).filter((h) => h.kind === 'form')).toHaveLength(2);
    // Staff raised the score: a later form never lowers it.
    await w.db.doc(leads.docPath({ leadId: lead!.id })).update({ score: 95 });
    await submit({ email, source: 'referral' });
    expect((await leadsWith(email))[0]).toMatchObject({ score: 95, source: 'referral', metadata: { forms: 3 } });
    // The answer never says whether the address was known.
    expect(await submit({ email })).toEqual({ received: true });
    expect(await submit({ email: `${uniq('new')}@example.org` })).toEqual({ received: true });
  });

  it('one address takes at most five forms a day, from any IP: nobody can make us write to a person, or tell the coaches of them, without end', async () => {
    const email = `${uniq('target')}@example.org`;
    for (let i = 0; i < 5; i++)
      await call(submitLeadContract, submitLead, deps, null, { email: i % 2 ? email.toUpperCase() : email }, { ip: `203.0.113.${i}` });
    expect(await refusal(call(submitLeadContract, submitLead, deps, null, { email }, { ip: '203.0.113.99' }))).toBe('resource-exhausted');
    expect(await submit({ email: `${uniq('other')}@example.org` })).toEqual({ received: true });
    expect((await historyOf((await leadsWith(email))[0]?.id ?? '')).filter((h) => h.kind === 'form')).toHaveLength(5);
  });

  it('new leads go round-robin to the coaches, each told in one notice per ten minutes; a migrated lead of the address is folded into', async () => {
    const ids = coaches.map((c) => c.uid).sort();
    const owners: string[] = [];
    const made: string[] = [];
    for (let i = 0; i < 4; i++) {
      const email = `${uniq('rr')}@example.net`;
      await submit({ email });
      const [lead] = await leadsWith(email);
      owners.push(lead?.owner ?? 'none');
      made.push(lead?.id ?? 'none');
    }
    // Consecutive leads go to consecutive coaches in uid order, wrapping around.
    for (let i = 1; i < owners.length; i++) expect(owners[i]).toBe(nextOwner(ids, owners[i - 1] ?? null));
    expect(new Set(owners.slice(0, 3)).size).toBe(3);
    // One notice per coach for these minutes, which every lead of theirs joins: the fourth lead
    // (the first coach again) grows the first coach's notice instead of making a second.
    const itemId = `leads-${Math.floor(w.clock.now.getTime() / LEAD_NOTICE_WINDOW_MS)}`;
    for (const [i, owner] of owners.entries()) {
      const notices = await w.db
        .collection(inbox.collectionPath({ uid: owner }))
        .withConverter(inbox.converter)
        .get();
      expect(notices.docs.map((d) => d.id).filter((id) => id.startsWith('lead'))).toEqual([itemId]);
      const notice = notices.docs.find((d) => d.id === itemId)?.data();
      expect(notice).toMatchObject({ type: 'lead_assigned', user_id: owner, read: false });
      expect((notice?.metadata as { lead_ids: string[] }).lead_ids).toContain(made[i]);
    }
    const twice = (
      await w.db
        .doc(inbox.docPath({ uid: owners[0] ?? '', itemId }))
        .withConverter(inbox.converter)
        .get()
    ).data();
    expect(owners[3]).toBe(owners[0]);
    expect(twice?.title).toMatch(/^\d+ new leads for you$/);
    expect((twice?.metadata as { count: number }).count).toBeGreaterThanOrEqual(2);
    // A lead migrated from Supabase (uuid id, the address as typed then) takes the form.
    const email = `${uniq('old')}@example.com`;
    const legacyId = '7f0c2f7e-4f6b-4d3a-9a40-2b1f7a0c9e11';
    await put(w.db.doc(leads.docPath({ leadId: legacyId })).withConverter(leads.converter), {
      email,
      name: null,
      phone: null,
      source: 'website',
      stage: 'contacted',
      status: 'active',
      owner: coaches[0]!.uid,
      tags: ['vip'],
      notes: 'Called twice',
      score: 40,
      metadata: { utm: { source: 'google' } },
      created_at: Timestamp.fromDate(new Date('2024-05-01T00:00:00Z')),
      updated_at: null,
      last_contacted_at: null,
    });
    await submit({ email: email.toUpperCase(), name: 'Old Friend' });
    const all = await leadsWith(email);
    expect(all.map((l) => l.id)).toEqual([legacyId]);
    expect(all[0]).toMatchObject({
      name: 'Old Friend',
      stage: 'contacted',
      owner: coaches[0]!.uid,
      tags: ['vip'],
      metadata: { utm: { source: 'google' }, forms: 2 },
    });
  });
});

describe('lead scoring (documented rules)', () => {
  it('scores what the forms told us', () => {
    expect(scoreLead({ name: null, phone: null, source: null, forms: 1 })).toBe(10);
    expect(scoreLead({ name: 'A', phone: null, source: null, forms: 1 })).toBe(25);
    expect(scoreLead({ name: 'A', phone: '1', source: 'instagram', forms: 1 })).toBe(55);
    expect(scoreLead({ name: 'A', phone: '1', source: 'Referral', forms: 1 })).toBe(70);
    expect(scoreLead({ name: null, phone: null, source: 'webinar', forms: 3 })).toBe(40);
    expect(scoreLead({ name: 'A', phone: '1', source: 'referral', forms: 20 })).toBe(90);
  });
});
