/**
 * The growth and catalogue callables as the web app calls them, through the typed client and the
 * web SDK against the emulators: experiments saved by an admin and assigned to visitors, analytics,
 * badges by hand, referrals and their reward, coupons and social templates — with the refusals that
 * matter (a member doing an admin's work, a self-referral, a second reward, a taken key).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { badges, referrals, REFERRAL_STATUS } from '@zhengrowth/model';
import { doc, getDoc } from 'firebase/firestore';
import { put, routeStandIn, unrouteStandIn, type TestFirebase } from '@zhengrowth/devstack/testing';
import { localSecrets } from '../../../functions/test/support/signing.js';
import { standIn } from '../../../functions/test/support/standin.js';
import { adminOfWebProject, refusal, signUp, webSessions } from './support/web.js';

// Each callable's first request starts a worker in the functions emulator.
vi.setConfig({ testTimeout: 240_000 });

let admin: TestFirebase;
const web = webSessions();
beforeAll(() => {
  admin = adminOfWebProject();
});
afterAll(async () => {
  await web.closeAll();
  await admin?.close();
});

const hex = (): string => randomBytes(4).toString('hex');

describe('growth and catalogue through the client', () => {
  it('saveExperiment (admins only, a config getAssignments can use, a unique key), then getAssignments for a visitor: sticky, disabled left out', async () => {
    const [boss, member, visitor] = [web.open(), web.open(), web.open()];
    await signUp(boss, admin, { roles: ['admin'] });
    await signUp(member, admin, { roles: ['client'] });
    const key = `hero_${hex()}`;
    const config = {
      variants: [
        { key: 'control', weight: 0 },
        { key: 'bold', weight: 1 },
      ],
      audience: 'all',
    };
    expect((await refusal(member.api.saveExperiment({ key, name: 'Hero', enabled: true, config }))).code).toBe('permission-denied');
    const bad = await refusal(boss.api.saveExperiment({ key, name: 'Hero', config: { variants: [{ key: 'a', weight: 0 }] } }));
    expect([bad.code, bad.message]).toEqual(['invalid-argument', expect.stringMatching(/^config\.variants: at least one variant needs a weight above 0/)]);
    const saved = await boss.api.saveExperiment({ key, name: 'Hero', enabled: true, config });
    expect(saved.created).toBe(true);
    expect((await refusal(boss.api.saveExperiment({ key, name: 'Copy' }))).code).toBe('already-exists');

    const anonymous_id = `visitor_${hex()}`;
    expect(await visitor.api.getAssignments({ keys: [key, `missing_${hex()}`], anonymous_id })).toEqual({ assignments: { [key]: 'bold' } });
    expect(await visitor.api.getAssignments({ keys: [key], anonymous_id })).toEqual({ assignments: { [key]: 'bold' } });
    expect((await refusal(visitor.api.getAssignments({ keys: [key] }))).code).toBe('invalid-argument');
    await boss.api.saveExperiment({ id: saved.id, key, name: 'Hero', enabled: false, config });
    expect(await visitor.api.getAssignments({ keys: [key], anonymous_id })).toEqual({ assignments: {} });

    // Analytics from the same visitor: stored with the server's time; a bad event name is named.
    expect(await visitor.api.track({ events: [{ name: 'page_view', properties: { path: '/' }, session_id: anonymous_id }] })).toEqual({ accepted: 1 });
    const wrong = await refusal(visitor.api.track({ events: [{ name: 'Page View' }] }));
    expect([wrong.code, wrong.message]).toEqual(['invalid-argument', expect.stringMatching(/^events\.0\.name:/)]);

    // A page view of a published blog post counts towards its view_count, once per visitor per day.
    const slug = `post-${hex()}`;
    const post = { id: slug, title: slug, excerpt: null, body_md: null, cover_image: null, author_id: null, published: true, published_at: null };
    await admin.db
      .doc(`blog_posts/${slug}`)
      .set({ ...post, lang: 'en', tags: [], meta_title: null, meta_description: null, view_count: 7, created_at: null, updated_at: null });
    for (let i = 0; i < 2; i++) await visitor.api.track({ events: [{ name: 'page_view', properties: { blog_post: slug }, session_id: anonymous_id }] });
    const shards = await admin.db.collection('blog_view_shards').where('post', '==', slug).get();
    expect(shards.docs.reduce((n, d) => n + Number(d.get('pending')), 0)).toBe(1);
  });

  it('referrals: a code, a claim (never one’s own), the reward once as a coupon only the referrer gets', async () => {
    const [referrer, friend] = [web.open(), web.open()];
    const referrerUser = await signUp(referrer, admin, { roles: ['client'] });
    await signUp(friend, admin, { roles: ['client'] });
    const { code } = await referrer.api.getMyReferralCode({});
    expect((await refusal(referrer.api.claimReferral({ code }))).code).toBe('invalid-argument');
    const claimed = await friend.api.claimReferral({ code: code.toLowerCase() });
    expect(claimed.status).toBe(REFERRAL_STATUS.linked);
    expect((await refusal(referrer.api.claimReferralReward({ referral_id: claimed.referral_id }))).code).toBe('failed-precondition');

    // The friend's first paid order converts it (the payment's transaction does; here, the Admin SDK).
    const ref = admin.db.doc(referrals.docPath({ uid: referrerUser.uid, referralId: claimed.referral_id })).withConverter(referrals.converter);
    const before = (await ref.get()).data();
    if (!before) throw new Error('the claim made no referral under the referrer');
    await put(ref, { ...before, status: REFERRAL_STATUS.completed, reward_amount_minor: 1000, currency: 'USD', completed_at: before.created_at });

    expect((await refusal(friend.api.claimReferralReward({ referral_id: claimed.referral_id }))).code).toBe('not-found');
    const reward = await referrer.api.claimReferralReward({ referral_id: claimed.referral_id });
    expect(reward).toMatchObject({ amount_minor: 1000, currency: 'USD', already_claimed: false });
    // A second claim makes no second coupon: it answers the one already made.
    expect(await referrer.api.claimReferralReward({ referral_id: claimed.referral_id })).toEqual({ ...reward, already_claimed: true });
  });

  it('awardBadge, saveCoupon and saveSocialTemplate: admins only, once, unique', async () => {
    const [boss, member] = [web.open(), web.open()];
    await signUp(boss, admin, { roles: ['admin'] });
    const memberUser = await signUp(member, admin, { roles: ['client'] });
    const badge = `helper_${hex()}`;
    await put(admin.db.doc(badges.docPath({ code: badge })).withConverter(badges.converter), {
      name: 'Helper',
      description: null,
      icon: null,
      criteria: { manual: true },
      active: true,
    });
    expect((await refusal(member.api.awardBadge({ uid: memberUser.uid, badge_code: badge }))).code).toBe('permission-denied');
    const first = await boss.api.awardBadge({ uid: memberUser.uid, badge_code: badge, note: 'for the welcome thread' });
    expect(first.awarded).toBe(true);
    expect(await boss.api.awardBadge({ uid: memberUser.uid, badge_code: badge })).toEqual({ awarded: false, award_id: first.award_id });

    const code = `SPRING${hex().toUpperCase()}`;
    const coupon = { code, discount_type: 'percent', discount_percent: '15' } as const;
    expect((await refusal(member.api.saveCoupon(coupon))).code).toBe('permission-denied');
    expect((await boss.api.saveCoupon(coupon)).created).toBe(true);
    expect((await refusal(boss.api.saveCoupon({ ...coupon, code: code.toLowerCase() }))).code).toBe('already-exists');

    const template = { platform: 'linkedin', locale: 'zh-TW', name: `launch_${hex()}`, template: '新文章：{{title}} {{url}}' };
    expect((await refusal(member.api.saveSocialTemplate(template))).code).toBe('permission-denied');
    expect((await boss.api.saveSocialTemplate(template)).created).toBe(true);
    expect((await refusal(boss.api.saveSocialTemplate(template))).code).toBe('already-exists');
  });

  it('syncCalEventTypes: an admin pulls Cal.com’s event types (a stand-in of its API); the outcome is the staff’s to read', async () => {
    const id = 700_000 + Math.floor(Math.random() * 100_000);
    const cal = await standIn(() => ({
      status: 200,
      body: {
        status: 'success',
        data: [{ id, slug: `deep-dive-${id}`, title: 'Deep dive', lengthInMinutes: 90, price: 12_000, currency: 'usd', hidden: false }],
      },
    }));
    await routeStandIn('cal', cal.origin);
    try {
      const [boss, member] = [web.open(), web.open()];
      await signUp(boss, admin, { roles: ['admin'] });
      await signUp(member, admin, { roles: ['client'] });
      expect((await refusal(member.api.syncCalEventTypes({}))).code).toBe('permission-denied');
      expect(await boss.api.syncCalEventTypes({})).toMatchObject({ fetched: 1, skipped: 0 });
      expect(cal.requests.map((r) => [r.path, r.headers.authorization])).toEqual([['/v2/event-types', `Bearer ${localSecrets().CAL_API_KEY}`]]);
      const stored = await getDoc(doc(member.db, `cal_event_types/${id}`));
      expect(stored.data()).toMatchObject({ title: 'Deep dive', duration_minutes: 90, price_minor: 12_000, currency: 'USD', active: true });
      expect((await getDoc(doc(boss.db, 'integration_syncs/cal_event_types'))).data()).toMatchObject({ ok: true });
      await expect(getDoc(doc(member.db, 'integration_syncs/cal_event_types'))).rejects.toMatchObject({ code: 'permission-denied' });
    } finally {
      await unrouteStandIn('cal').catch(() => undefined);
      await cal.close();
    }
  });
});
