/**
 * Funnels against the Firestore emulator: enrolment from domain events (users and leads, once per
 * funnel), and the advancer: stages in order after their delays, each action once however often
 * or concurrently it runs, a crash mid-stage retried without a second action, completed_at after
 * the last stage, and a paused funnel holding its enrolments.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailConsents, emailQueue, funnelEnrolments, funnelProgress, funnels, funnelStages, inbox, leads, type DomainEventType } from '@zhengrowth/model';
import { put } from '@zhengrowth/devstack/testing';
import { recordDomainEvent } from '../src/shared/domain-events.js';
import { followDomainEvent } from '../src/events/follow.js';
import { advanceEnrolment, advanceFunnels, type AdvanceDeps } from '../src/funnels/advance.js';
import { enrolmentRef } from '../src/funnels/refs.js';
import { addressId } from '../src/shared/email-consent.js';
import { domainEvents } from '@zhengrowth/model';
import { growthWorld, member, uniq, type GrowthWorld } from './support/growth.js';

let w: GrowthWorld;
beforeAll(() => {
  w = growthWorld('funnels');
});
afterAll(async () => {
  await w?.close();
});

const HOUR = 3_600_000;

async function seedFunnel(
  trigger: string,
  stages: Array<{ action_type: string; action_config: unknown; delay_hours: number }>,
): Promise<{ funnelId: string; stageIds: string[] }> {
  const funnelId = uniq('funnel-');
  await put(w.db.doc(funnels.docPath({ funnelId })).withConverter(funnels.converter), {
    name: funnelId,
    slug: funnelId,
    trigger_event: trigger,
    active: true,
    metadata: null,
    created_at: Timestamp.now(),
    updated_at: null,
  });
  const stageIds: string[] = [];
  for (const [i, s] of stages.entries()) {
    const stageId = uniq('stage-');
    stageIds.push(stageId);
    await put(w.db.doc(funnelStages.docPath({ funnelId, stageId })).withConverter(funnelStages.converter), {
      funnel_id: funnelId,
      name: `step ${i + 1}`,
      order: i + 1,
      action_type: s.action_type,
      action_config: s.action_config as never,
      delay_hours: s.delay_hours,
    });
  }
  return { funnelId, stageIds };
}

/** A domain event as the code records it, then delivered to the followers (as onDomainEvent does). */
async function happen(type: DomainEventType, who: { userId?: string; leadId?: string }, times = 1): Promise<string> {
  const now = Timestamp.fromDate(w.clock.now);
  const subjectId = uniq('subj-');
  const eventId = await w.db.runTransaction(async (tx) =>
    Promise.resolve(recordDomainEvent(tx, w.db, { type, userId: who.userId ?? null, leadId: who.leadId ?? null, subjectId }, now)),
  );
  const fact = (await w.db.doc(domainEvents.docPath({ eventId })).withConverter(domainEvents.converter).get()).data()!;
  for (let i = 0; i < times; i++) await followDomainEvent(w.deps, eventId, fact);
  return eventId;
}

async function enrolment(id: string) {
  return (await enrolmentRef(w.db, id).get()).data();
}

async function emailsTo(to: string) {
  return (await w.db.collection(emailQueue.collectionPath({})).withConverter(emailQueue.converter).get()).docs.filter((d) => d.data().to_email === to);
}

async function nudges(uid: string) {
  return (await w.db.collection(inbox.collectionPath({ uid })).withConverter(inbox.converter).get()).docs.filter((d) => d.data().type === 'funnel_nudge');
}

describe('funnels', () => {
  it('a signup enrols once; stages run in order after their delays, each action once under repeated and overlapping runs; completed after the last', async () => {
    const t0 = new Date('2026-12-01T10:00:00Z');
    w.clock.set(t0);
    const { funnelId, stageIds } = await seedFunnel('signup', [
      { action_type: 'email', action_config: { template_slug: 'welcome' }, delay_hours: 0 },
      { action_type: 'nudge', action_config: { title: 'Your first lesson', message: 'Start here' }, delay_hours: 24 },
      { action_type: 'wait', action_config: {}, delay_hours: 48 },
    ]);
    const other = await seedFunnel('purchase', [{ action_type: 'email', action_config: { template_slug: 'thanks' }, delay_hours: 0 }]);
    const user = await member(w);
    const email = String(user.token.email);
    await happen('signup', { userId: user.uid }, 2);
    await happen('signup', { userId: user.uid }); // another signup event: still one enrolment
    const id = `${funnelId}:user:${user.uid}`;
    expect(await enrolment(id)).toMatchObject({ status: 'active', subject: 'user', done_stage_ids: [], trigger_event: 'signup' });
    expect(await enrolment(`${other.funnelId}:user:${user.uid}`)).toBeUndefined();
    expect(
      (
        await w.db
          .doc(funnelProgress.docPath({ uid: user.uid, progressId: funnelId }))
          .withConverter(funnelProgress.converter)
          .get()
      ).data(),
    ).toMatchObject({
      funnel_id: funnelId,
      completed_at: null,
    });

    await Promise.all([advanceFunnels(w.deps), advanceFunnels(w.deps), advanceEnrolment(w.deps, id)]);
    await advanceFunnels(w.deps);
    expect(await emailsTo(email)).toHaveLength(1);
    expect((await emailsTo(email))[0]?.data()).toMatchObject({ template_slug: 'welcome', status: 'pending' });
    expect(await enrolment(id)).toMatchObject({ done_stage_ids: [stageIds[0]] });
    w.clock.set(new Date(t0.getTime() + 23 * HOUR));
    await advanceFunnels(w.deps);
    expect(await nudges(user.uid)).toHaveLength(0);
    w.clock.set(new Date(t0.getTime() + 24 * HOUR));
    await Promise.all([advanceFunnels(w.deps), advanceFunnels(w.deps)]);
    expect(await nudges(user.uid)).toHaveLength(1);
    w.clock.set(new Date(t0.getTime() + 72 * HOUR));
    await Promise.all([advanceFunnels(w.deps), advanceFunnels(w.deps)]);
    const done = await enrolment(id);
    expect(done).toMatchObject({ status: 'completed', done_stage_ids: stageIds, next_run_at: null });
    expect(done?.completed_at?.toDate()).toEqual(new Date(t0.getTime() + 72 * HOUR));
    expect(
      (
        await w.db
          .doc(funnelProgress.docPath({ uid: user.uid, progressId: funnelId }))
          .withConverter(funnelProgress.converter)
          .get()
      ).data(),
    ).toMatchObject({
      current_stage_id: stageIds[2],
    });
    expect(await emailsTo(email)).toHaveLength(1);
    expect(await nudges(user.uid)).toHaveLength(1);
    w.clock.set(new Date());
  });

  it('a crash mid-stage commits nothing; the next run performs the stage once', async () => {
    w.clock.set(new Date());
    const { funnelId, stageIds } = await seedFunnel('lesson_completed', [
      { action_type: 'email', action_config: { template_slug: 'lesson_digest' }, delay_hours: 0 },
    ]);
    const user = await member(w);
    await happen('lesson_completed', { userId: user.uid });
    const id = `${funnelId}:user:${user.uid}`;
    const crashing: AdvanceDeps = {
      ...w.deps,
      fault: (point) => {
        if (point === 'funnel:after-action') throw new Error('crash');
      },
    };
    await expect(advanceEnrolment(crashing, id)).rejects.toThrow('crash');
    expect(await emailsTo(String(user.token.email))).toHaveLength(0);
    expect(await enrolment(id)).toMatchObject({ status: 'active', done_stage_ids: [] });
    expect(await advanceEnrolment(w.deps, id)).toBe('completed');
    expect(await advanceEnrolment(w.deps, id)).toBe('not-due');
    expect(await emailsTo(String(user.token.email))).toHaveLength(1);
    expect(await enrolment(id)).toMatchObject({ status: 'completed', done_stage_ids: stageIds });
  });

  it('a paused funnel holds its enrolments (no action) and resumes when an admin turns it back on', async () => {
    w.clock.set(new Date());
    const { funnelId } = await seedFunnel('event_registered', [
      { action_type: 'nudge', action_config: { message: 'See you there' }, delay_hours: 0 },
      { action_type: 'nudge', action_config: { message: 'Tomorrow!' }, delay_hours: 1 },
    ]);
    const user = await member(w);
    await happen('event_registered', { userId: user.uid });
    const id = `${funnelId}:user:${user.uid}`;
    await w.db.doc(funnels.docPath({ funnelId })).update({ active: false });
    expect(await advanceEnrolment(w.deps, id)).toBe('paused');
    expect(await nudges(user.uid)).toHaveLength(0);
    expect((await enrolment(id))?.next_run_at?.toMillis()).toBe(w.clock.now.getTime() + HOUR);
    // A new event while paused enrols nobody (only active funnels enrol).
    const other = await member(w);
    await happen('event_registered', { userId: other.uid });
    expect(await enrolment(`${funnelId}:user:${other.uid}`)).toBeUndefined();
    await w.db.doc(funnels.docPath({ funnelId })).update({ active: true });
    w.clock.advance(HOUR);
    expect(await advanceEnrolment(w.deps, id)).toBe('ran');
    expect(await nudges(user.uid)).toHaveLength(1);
    w.clock.set(new Date());
  });

  it('a lead whose address confirmed is enrolled on lead_created: e-mails go to its address, tags onto the lead', async () => {
    w.clock.set(new Date());
    const { funnelId } = await seedFunnel('lead_created', [
      { action_type: 'email', action_config: { template_slug: 'lead_welcome' }, delay_hours: 0 },
      { action_type: 'tag', action_config: { add: ['nurtured', 'zh'] }, delay_hours: 0 },
      { action_type: 'carrier_pigeon', action_config: {}, delay_hours: 0 },
    ]);
    const leadId = uniq('lead-');
    const email = `${leadId}@example.com`;
    await put(w.db.doc(leads.docPath({ leadId })).withConverter(leads.converter), {
      email,
      name: 'Lin',
      phone: null,
      source: null,
      stage: 'new',
      status: 'active',
      owner: null,
      tags: ['hot'],
      notes: null,
      score: 10,
      metadata: null,
      created_at: Timestamp.now(),
      updated_at: null,
      last_contacted_at: null,
    });
    // Its address confirmed (double opt-in): only then does a lead enter a funnel.
    const now = Timestamp.now();
    await put(w.db.doc(emailConsents.docPath({ consentId: addressId(email) })).withConverter(emailConsents.converter), {
      email,
      confirmed_at: now,
      confirmed_via: 'link',
      requested_at: now,
      requests: 1,
      created_at: now,
      updated_at: now,
    });
    await happen('lead_created', { leadId });
    const id = `${funnelId}:lead:${leadId}`;
    for (let i = 0; i < 4; i++) await advanceFunnels(w.deps);
    expect(await emailsTo(email)).toHaveLength(1);
    expect((await w.db.doc(leads.docPath({ leadId })).withConverter(leads.converter).get()).data()?.tags).toEqual(['hot', 'nurtured', 'zh']);
    expect(await enrolment(id)).toMatchObject({ status: 'completed', tags: ['nurtured', 'zh'] });
    const all = (await w.db.collection(funnelEnrolments.collectionPath({})).get()).docs.filter((d) => d.id.startsWith(funnelId));
    expect(all).toHaveLength(1);
  });
});
