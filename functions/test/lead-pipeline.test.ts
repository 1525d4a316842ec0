/**
 * The lead pipeline against the Firestore emulator: `moveLead` allows the pipeline's moves only,
 * records each in the lead's history (from, to, who, why), changes nothing for a move to the
 * current stage, and treats a migrated stage outside the pipeline as movable to new or lost only.
 * `addLead` enters a lead as a form does, with who entered it; a coach keeps the lead they entered.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLead as addContract, inbox, leadHistory, leads, moveLead as contract, type LeadDoc } from '@zhengrowth/model';
import { put } from '@zhengrowth/devstack/testing';
import { addLead } from '../src/leads/add.js';
import { foldLeadForm, leadIdFor } from '../src/leads/fold.js';
import { moveLead, movesFrom } from '../src/leads/pipeline.js';
import { call, growthWorld, leadDepsFor, member, refusal, uniq, type Auth, type GrowthWorld } from './support/growth.js';

let w: GrowthWorld;
let coach: Auth;
beforeAll(async () => {
  w = growthWorld('pipeline');
  coach = await member(w, ['coach']);
});
afterAll(async () => {
  await w?.close();
});

async function lead(stage: string | null): Promise<string> {
  const leadId = uniq('lead-');
  const doc: LeadDoc = {
    email: `${leadId}@example.com`,
    name: null,
    phone: null,
    source: null,
    stage,
    status: 'active',
    owner: coach.uid,
    tags: [],
    notes: null,
    score: 10,
    metadata: null,
    created_at: Timestamp.now(),
    updated_at: null,
    last_contacted_at: null,
  };
  await put(w.db.doc(leads.docPath({ leadId })).withConverter(leads.converter), doc);
  return leadId;
}

const move = (leadId: string, stage: string, note?: string) => call(contract, moveLead, w.deps, coach, { lead_id: leadId, stage, ...(note ? { note } : {}) });
const stored = async (leadId: string) => (await w.db.doc(leads.docPath({ leadId })).withConverter(leads.converter).get()).data();
const history = async (leadId: string) =>
  (await w.db.collection(leadHistory.collectionPath({ leadId })).withConverter(leadHistory.converter).get()).docs
    .map((d) => d.data())
    .filter((h) => h.kind === 'stage');

describe('the lead pipeline', () => {
  it('moves a lead along the allowed moves, each in its history with who and why', async () => {
    w.clock.set(new Date('2026-05-01T10:00:00Z'));
    const id = await lead('new');
    expect(await move(id, 'contacted', 'first call')).toEqual({ lead_id: id, stage: 'contacted', changed: true });
    expect(await stored(id)).toMatchObject({ stage: 'contacted', last_contacted_at: Timestamp.fromDate(w.clock.now) });
    w.clock.advance(60_000);
    await move(id, 'qualified');
    await move(id, 'won');
    expect((await history(id)).map((h) => [h.from_stage, h.to_stage, h.by]).sort()).toEqual([
      ['contacted', 'qualified', coach.uid],
      ['new', 'contacted', coach.uid],
      ['qualified', 'won', coach.uid],
    ]);
    expect((await history(id)).find((h) => h.to_stage === 'contacted')?.note).toBe('first call');
    // Won is final; a move to the current stage changes nothing.
    expect(await refusal(move(id, 'lost'))).toBe('failed-precondition');
    expect(await move(id, 'won')).toEqual({ lead_id: id, stage: 'won', changed: false });
    expect(await history(id)).toHaveLength(3);
  });

  it('refuses a jump the pipeline does not have, an unknown stage and a lead that is not there', async () => {
    const id = await lead('new');
    expect(await refusal(move(id, 'won'))).toBe('failed-precondition');
    expect(await refusal(move(id, 'closed'))).toBe('invalid-argument');
    expect(await refusal(move(uniq('nowhere-'), 'contacted'))).toBe('not-found');
    expect(await refusal(call(contract, moveLead, w.deps, await member(w), { lead_id: id, stage: 'contacted' }))).toBe('permission-denied');
    expect((await stored(id))?.stage).toBe('new');
    expect(await history(id)).toEqual([]);
  });

  it('a lost lead may start again; a migrated stage outside the pipeline moves to new or lost only', async () => {
    const id = await lead('lost');
    expect((await move(id, 'new')).changed).toBe(true);
    const legacy = await lead('prospect');
    expect(movesFrom('prospect')).toEqual(['new', 'lost']);
    expect(await refusal(move(legacy, 'won'))).toBe('failed-precondition');
    expect((await move(legacy, 'new')).changed).toBe(true);
  });
});

describe('a lead entered by hand (addLead)', () => {
  const add = (who: Auth, data: Record<string, unknown>) => call(addContract, addLead, leadDepsFor(w), who, data);
  const entries = async (leadId: string) =>
    (await w.db.collection(leadHistory.collectionPath({ leadId })).withConverter(leadHistory.converter).get()).docs.map((d) => ({ id: d.id, ...d.data() }));
  const noticesOf = async (uid: string) =>
    (await w.db.collection(inbox.collectionPath({ uid })).withConverter(inbox.converter).get()).docs.map((d) => d.data());

  it('a coach keeps the lead they entered, with who entered it in the history, and is not told of it', async () => {
    w.clock.set(new Date());
    const email = `${uniq('met')}@example.com`;
    const before = (await noticesOf(coach.uid)).length;
    expect(await add(coach, { email, name: 'Lin', phone: '+886 912 345 678', source: 'fair' })).toEqual({ lead_id: leadIdFor(email), created: true });
    expect(await stored(leadIdFor(email))).toMatchObject({ email, name: 'Lin', source: 'fair', stage: 'new', owner: coach.uid });
    const history = await entries(leadIdFor(email));
    expect(history.find((h) => h.kind === 'form')).toMatchObject({ email, name: 'Lin', by: coach.uid });
    expect(history.find((h) => h.kind === 'assigned')).toMatchObject({ owner: coach.uid });
    expect(await noticesOf(coach.uid)).toHaveLength(before);
  });

  it("an admin's lead goes to a coach round-robin, who is told; the same address again folds into it", async () => {
    w.clock.set(new Date());
    const admin = await member(w, ['admin']);
    const email = `${uniq('adm')}@example.com`;
    const before = (await noticesOf(coach.uid)).length;
    expect((await add(admin, { email })).created).toBe(true);
    // The world's only coach is the round-robin's every turn.
    expect((await stored(leadIdFor(email)))?.owner).toBe(coach.uid);
    expect((await noticesOf(coach.uid)).length).toBe(before + 1);
    expect(await add(admin, { email: email.toUpperCase(), name: 'Named later' })).toEqual({ lead_id: leadIdFor(email), created: false });
    expect((await stored(leadIdFor(email)))?.name).toBe('Named later');
    expect((await entries(leadIdFor(email))).filter((h) => h.kind === 'form').map((h) => h.by)).toEqual([admin.uid, admin.uid]);
  });

  it('says whether the form made the lead even when the form trigger folded it first', async () => {
    const email = `${uniq('race')}@example.com`;
    const form = { email, name: null, phone: null, source: null, user_id: null, account_verified: false, added_by: coach.uid, created_at: Timestamp.now() };
    const [one, two] = [uniq('f-'), uniq('f-')];
    const first = await foldLeadForm(leadDepsFor(w), one, form);
    expect(first).toMatchObject({ created: true, applied: true });
    expect(await foldLeadForm(leadDepsFor(w), one, form)).toEqual({ leadId: first.leadId, created: true, applied: false });
    expect(await foldLeadForm(leadDepsFor(w), two, form)).toEqual({ leadId: first.leadId, created: false, applied: true });
    expect(await foldLeadForm(leadDepsFor(w), two, form)).toEqual({ leadId: first.leadId, created: false, applied: false });
  });

  it('refuses a client and an address that is none, and writes nothing', async () => {
    const email = `${uniq('no')}@example.com`;
    expect(await refusal(add(await member(w), { email }))).toBe('permission-denied');
    expect(await refusal(add(coach, { email: 'not an address' }))).toBe('invalid-argument');
    expect(await refusal(add(coach, { email, owner: coach.uid }))).toBe('invalid-argument');
    expect(await stored(leadIdFor(email))).toBeUndefined();
  });
});
