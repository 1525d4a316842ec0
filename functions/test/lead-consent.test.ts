/**
 * Double opt-in of lead addresses against the Firestore emulator: a form asks an unconfirmed
 * address once a day at most, whatever the forms; the signed link confirms it once; funnel e-mail
 * reaches a lead only once its address has confirmed (or the submitter's verified account is
 * that address); forged, altered, foreign and expired links refuse and change nothing.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addLead as addContract,
  confirmLeadEmail as confirmContract,
  domainEvents,
  emailConsents,
  emailQueue,
  funnelEnrolments,
  funnels,
  funnelStages,
  leads,
  submitLead as submitContract,
} from '@zhengrowth/model';
import { put } from '@zhengrowth/devstack/testing';
import { followDomainEvent } from '../src/events/follow.js';
import { advanceFunnels } from '../src/funnels/advance.js';
import { addLead } from '../src/leads/add.js';
import { confirmLeadEmail } from '../src/leads/confirm.js';
import type { LeadDeps } from '../src/leads/deps.js';
import { leadIdFor } from '../src/leads/fold.js';
import { submitLead } from '../src/leads/submit.js';
import { addressId } from '../src/shared/email-consent.js';
import { linkSigner, LINK_LIFETIME_DAYS } from '../src/shared/links.js';
import { call, growthWorld, leadDepsFor, member, refusal, TEST_APP_URL, TEST_LINK_SECRET, uniq, type Auth, type GrowthWorld } from './support/growth.js';

let w: GrowthWorld;
let deps: LeadDeps;
beforeAll(async () => {
  w = growthWorld('consent');
  deps = leadDepsFor(w);
  await member(w, ['coach']);
});
afterAll(async () => {
  await w?.close();
});

const DAY = 86_400_000;
let ipN = 0;
const submit = (data: Record<string, unknown>, who: Auth | null = null) =>
  call(submitContract, submitLead, deps, who, data, { ip: `203.0.113.${++ipN % 250}` });
const confirm = (token: string) => call(confirmContract, confirmLeadEmail, deps, null, { token });

async function confirmations(email: string) {
  const all = await w.db.collection(emailQueue.collectionPath({})).withConverter(emailQueue.converter).where('to_email', '==', email.toLowerCase()).get();
  return all.docs.map((d) => d.data()).filter((e) => e.template_slug === 'lead_confirmation');
}

const consentOf = async (email: string) =>
  (
    await w.db
      .doc(emailConsents.docPath({ consentId: addressId(email) }))
      .withConverter(emailConsents.converter)
      .get()
  ).data();

function tokenOf(mail: { variables: unknown }): string {
  const link = (mail.variables as { link: string }).link;
  expect(link.startsWith(`${TEST_APP_URL}/confirm-email?token=`)).toBe(true);
  return decodeURIComponent(link.split('token=')[1] ?? '');
}

/** Follows a recorded domain event as onDomainEvent does. */
async function follow(eventId: string): Promise<void> {
  const fact = (await w.db.doc(domainEvents.docPath({ eventId })).withConverter(domainEvents.converter).get()).data();
  expect(fact, eventId).toBeDefined();
  await followDomainEvent(w.deps, eventId, fact!);
}

async function leadFunnel(): Promise<string> {
  const funnelId = uniq('funnel-');
  await put(w.db.doc(funnels.docPath({ funnelId })).withConverter(funnels.converter), {
    name: funnelId,
    slug: funnelId,
    trigger_event: 'lead_created',
    active: true,
    metadata: null,
    created_at: Timestamp.now(),
    updated_at: null,
  });
  await put(w.db.doc(funnelStages.docPath({ funnelId, stageId: 'hello' })).withConverter(funnelStages.converter), {
    funnel_id: funnelId,
    name: 'hello',
    order: 1,
    action_type: 'email',
    action_config: { template_slug: 'lead_welcome' },
    delay_hours: 0,
  });
  return funnelId;
}

const funnelMails = async (email: string) =>
  (await w.db.collection(emailQueue.collectionPath({})).withConverter(emailQueue.converter).where('to_email', '==', email).get()).docs.filter(
    (d) => d.data().template_slug === 'lead_welcome',
  );

describe('double opt-in of lead addresses', () => {
  it('an address is asked once a day whatever the forms, and its link confirms it once', async () => {
    w.clock.set(new Date());
    const email = `${uniq('ask')}@example.org`;
    for (let i = 0; i < 3; i++) await submit({ email: i === 1 ? email.toUpperCase() : email, name: 'Ana' });
    const first = await confirmations(email);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ status: 'pending', variables: expect.objectContaining({ name: 'Ana' }) as unknown });
    expect(await consentOf(email)).toMatchObject({ email, confirmed_at: null, requests: 1 });
    w.clock.advance(DAY + 60_000);
    await submit({ email });
    const both = await confirmations(email);
    expect(both).toHaveLength(2);
    expect(await confirm(tokenOf(both[0]!))).toEqual({ confirmed: true });
    const consent = await consentOf(email);
    expect(consent).toMatchObject({ confirmed_via: 'link', requests: 2 });
    const eventId = `lead_confirmed:${addressId(email)}:${leadIdFor(email)}`;
    const event = (await w.db.doc(domainEvents.docPath({ eventId })).get()).data();
    expect(event).toMatchObject({ type: 'lead_confirmed', lead_id: leadIdFor(email) });
    // The second link, or the first again, changes nothing; a confirmed address is never asked again.
    w.clock.advance(60_000);
    expect(await confirm(tokenOf(both[1]!))).toEqual({ confirmed: true });
    expect((await consentOf(email))?.confirmed_at).toEqual(consent?.confirmed_at);
    expect((await w.db.doc(domainEvents.docPath({ eventId })).get()).data()?.occurred_at).toEqual(event?.occurred_at);
    w.clock.advance(DAY + 60_000);
    await submit({ email });
    expect(await confirmations(email)).toHaveLength(2);
  });

  it('funnel e-mail reaches a lead only after its address confirms', async () => {
    w.clock.set(new Date());
    const funnelId = await leadFunnel();
    const email = `${uniq('funnel')}@example.net`;
    await submit({ email });
    const leadId = leadIdFor(email);
    await follow(`lead_created:${leadId}:${leadId}`);
    await advanceFunnels(w.deps);
    expect((await w.db.doc(funnelEnrolments.docPath({ enrolmentId: `${funnelId}:lead:${leadId}` })).get()).exists).toBe(false);
    expect(await funnelMails(email)).toHaveLength(0);
    const [mail] = await confirmations(email);
    await confirm(tokenOf(mail!));
    await follow(`lead_confirmed:${addressId(email)}:${leadId}`);
    const enrolment = (
      await w.db
        .doc(funnelEnrolments.docPath({ enrolmentId: `${funnelId}:lead:${leadId}` }))
        .withConverter(funnelEnrolments.converter)
        .get()
    ).data();
    expect(enrolment).toMatchObject({ subject: 'lead', lead_id: leadId, trigger_event: 'lead_created' });
    await advanceFunnels(w.deps);
    expect(await funnelMails(email)).toHaveLength(1);
  });

  it('the advancer mails a lead only at a confirmed address (a coach may have changed it since)', async () => {
    w.clock.set(new Date());
    const funnelId = await leadFunnel();
    const confirmedEmail = `${uniq('was')}@example.net`;
    await submit({ email: confirmedEmail });
    await confirm(tokenOf((await confirmations(confirmedEmail))[0]!));
    const leadId = leadIdFor(confirmedEmail);
    await follow(`lead_confirmed:${addressId(confirmedEmail)}:${leadId}`);
    const changed = `${uniq('now')}@example.net`;
    await w.db.doc(leads.docPath({ leadId })).update({ email: changed });
    await advanceFunnels(w.deps);
    const enrolment = (
      await w.db
        .doc(funnelEnrolments.docPath({ enrolmentId: `${funnelId}:lead:${leadId}` }))
        .withConverter(funnelEnrolments.converter)
        .get()
    ).data();
    expect(enrolment?.status).toBe('completed');
    expect([...(await funnelMails(changed)), ...(await funnelMails(confirmedEmail))]).toHaveLength(0);
  });

  it('a forged, altered, foreign or expired link is refused and confirms nothing', async () => {
    w.clock.set(new Date());
    const email = `${uniq('forge')}@example.org`;
    await submit({ email });
    const token = tokenOf((await confirmations(email))[0]!);
    const [body, sig] = token.split('.') as [string, string];
    const flipped = `${body}.${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`;
    const stranger = linkSigner('another-secret').sign('lead-confirm', { leadId: leadIdFor(email), consentId: addressId(email) }, w.clock.now);
    const manage = linkSigner(TEST_LINK_SECRET).sign('manage', { leadId: leadIdFor(email), consentId: addressId(email) }, w.clock.now);
    for (const bad of [flipped, stranger, manage, `${token}.x`]) expect(await refusal(confirm(bad)), bad).toBe('permission-denied');
    expect(await refusal(confirm('short'))).toBe('invalid-argument');
    // A genuine link for an address never asked.
    const never = `${uniq('never')}@example.org`;
    const unasked = linkSigner(TEST_LINK_SECRET).sign('lead-confirm', { leadId: leadIdFor(never), consentId: addressId(never) }, w.clock.now);
    expect(await refusal(confirm(unasked))).toBe('not-found');
    w.clock.advance((LINK_LIFETIME_DAYS + 1) * DAY);
    expect(await refusal(confirm(token))).toBe('permission-denied');
    expect((await consentOf(email))?.confirmed_at).toBeNull();
    expect(await consentOf(never)).toBeUndefined();
  });

  it('a signed-in member giving their own verified address is confirmed at once; any other address is asked', async () => {
    w.clock.set(new Date());
    const me = await member(w);
    const own = me.token.email as string;
    await submit({ email: own.toUpperCase(), name: 'Me' }, me);
    expect(await confirmations(own)).toHaveLength(0);
    expect(await consentOf(own)).toMatchObject({ confirmed_via: 'verified_account', requests: 0 });
    const leadId = leadIdFor(own);
    expect((await w.db.doc(domainEvents.docPath({ eventId: `lead_confirmed:${addressId(own)}:${leadId}` })).get()).exists).toBe(true);
    const friend = `${uniq('friend')}@example.org`;
    await submit({ email: friend }, me);
    expect(await confirmations(friend)).toHaveLength(1);
    const unverified: Auth = { uid: me.uid, token: { ...me.token, email: `${uniq('unv')}@example.com`, email_verified: false } };
    await submit({ email: unverified.token.email }, unverified);
    expect(await confirmations(unverified.token.email as string)).toHaveLength(1);
  });

  it('a lead entered by staff (addLead) is asked the same: lead_created waits for the address to confirm', async () => {
    w.clock.set(new Date());
    const admin = await member(w, ['admin']);
    const funnelId = await leadFunnel();
    const email = `${uniq('met')}@example.net`;
    const leadId = leadIdFor(email);
    expect(await call(addContract, addLead, deps, admin, { email, name: 'Met at the fair' })).toEqual({ lead_id: leadId, created: true });
    await follow(`lead_created:${leadId}:${leadId}`);
    await advanceFunnels(w.deps);
    expect((await w.db.doc(funnelEnrolments.docPath({ enrolmentId: `${funnelId}:lead:${leadId}` })).get()).exists).toBe(false);
    expect(await funnelMails(email)).toHaveLength(0);
    // Entered twice the same day: one confirmation e-mail, as for forms.
    expect(await call(addContract, addLead, deps, admin, { email: email.toUpperCase() })).toEqual({ lead_id: leadId, created: false });
    const asked = await confirmations(email);
    expect(asked).toHaveLength(1);
    await confirm(tokenOf(asked[0]!));
    await follow(`lead_confirmed:${addressId(email)}:${leadId}`);
    expect((await w.db.doc(funnelEnrolments.docPath({ enrolmentId: `${funnelId}:lead:${leadId}` })).get()).data()).toMatchObject({ lead_id: leadId });
    await advanceFunnels(w.deps);
    // One e-mail per active lead funnel (the earlier tests' funnels are active too).
    expect((await funnelMails(email)).length).toBeGreaterThan(0);
  });
});
