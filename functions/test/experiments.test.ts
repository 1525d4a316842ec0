/**
 * getAssignments against the Firestore emulator: sticky variants recorded once with one exposure
 * event, adoption of the anonymous assignment at sign-in (the same variant on every device), and
 * experiments that are disabled, unknown or misconfigured left out.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsEvents, experimentAssignments, experiments, getAssignments as getAssignmentsContract } from '@zhengrowth/model';
import { put } from '@zhengrowth/devstack/testing';
import { chooseVariant, getAssignments } from '../src/growth/experiments.js';
import { call, growthWorld, member, refusal, uniq, type Auth, type GrowthWorld } from './support/growth.js';

let w: GrowthWorld;
const VARIANTS = [
  { key: 'control', weight: 1 },
  { key: 'treatment', weight: 1 },
];
beforeAll(async () => {
  w = growthWorld('experiments');
  const seed = (key: string, enabled: boolean, config: unknown) =>
    put(w.db.doc(experiments.docPath({ experimentId: uniq('exp-') })).withConverter(experiments.converter), {
      key,
      name: key,
      enabled,
      config: config as never,
      created_at: Timestamp.now(),
      updated_at: null,
    });
  await Promise.all([
    seed('checkout_cta', true, { variants: VARIANTS, audience: { langs: ['en'] } }),
    seed('old_test', false, { variants: VARIANTS }),
    seed('broken', true, { variants: [{ key: 'a', weight: 0 }] }),
  ]);
});
afterAll(async () => {
  await w?.close();
});

const assign = (who: Auth | null, data: Record<string, unknown>) => call(getAssignmentsContract, getAssignments, w.deps, who, data);

async function recorded(key: string) {
  const all = await w.db.collection(experimentAssignments.collectionPath({})).withConverter(experimentAssignments.converter).get();
  return all.docs.map((d) => d.data()).filter((a) => a.experiment_key === key);
}

async function exposures() {
  const all = await w.db.collection(analyticsEvents.collectionPath({})).withConverter(analyticsEvents.converter).get();
  return all.docs.map((d) => d.data()).filter((e) => e.event_name === 'experiment_exposure');
}

/** An anonymous id whose hash puts it in another variant than the user's. */
function anonOtherThan(uid: string): string {
  for (let i = 0; ; i++) {
    const id = `anon-${uid}-${i}`;
    if (chooseVariant('checkout_cta', id, VARIANTS) !== chooseVariant('checkout_cta', uid, VARIANTS)) return id;
  }
}

describe('getAssignments', () => {
  it('an anonymous visitor: the hash’s variant, the same on every call, recorded once with one exposure (concurrent first calls too)', async () => {
    const anon = `visitor-${uniq('')}`;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => assign(null, { keys: ['checkout_cta', 'old_test', 'broken', 'nope'], anonymous_id: anon })),
    );
    const variant = chooseVariant('checkout_cta', anon, VARIANTS);
    for (const a of answers) expect(a).toEqual({ assignments: { checkout_cta: variant } });
    const mine = (await recorded('checkout_cta')).filter((a) => a.session_id === anon);
    expect(mine).toEqual([expect.objectContaining({ user_id: null, session_id: anon, variant })]);
    const seen = (await exposures()).filter((e) => e.session_id === anon);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ properties: { experiment: 'checkout_cta', variant }, user_agent: 'vitest', ip_address: '198.51.100.0/24' });
    expect(await refusal(assign(null, { keys: ['checkout_cta'] }))).toBe('invalid-argument');
  });

  it('sign-in adopts the anonymous assignment, and every other device then gets the user’s variant', async () => {
    const user = await member(w);
    const phone = anonOtherThan(user.uid);
    const before = (await assign(null, { keys: ['checkout_cta'], anonymous_id: phone })).assignments.checkout_cta;
    const exposuresBefore = (await exposures()).length;
    // Signed in on the phone: the same variant as before, though the uid alone would hash elsewhere.
    expect((await assign(user, { keys: ['checkout_cta'], anonymous_id: phone })).assignments.checkout_cta).toBe(before);
    expect(before).not.toBe(chooseVariant('checkout_cta', user.uid, VARIANTS));
    // The laptop, first anonymous (its own variant), then signed in: the user's.
    const laptop = `laptop-${uniq('')}`;
    await assign(null, { keys: ['checkout_cta'], anonymous_id: laptop });
    expect((await assign(user, { keys: ['checkout_cta'], anonymous_id: laptop })).assignments.checkout_cta).toBe(before);
    expect((await assign(user, { keys: ['checkout_cta'] })).assignments.checkout_cta).toBe(before);
    const userRecords = (await recorded('checkout_cta')).filter((a) => a.user_id === user.uid);
    expect(userRecords).toEqual([expect.objectContaining({ session_id: phone, variant: before })]);
    // One exposure for the laptop's anonymous visit, none for the adoption.
    expect((await exposures()).length).toBe(exposuresBefore + 1);
  });

  it('a signed-in user without an anonymous id: assigned by uid', async () => {
    const user = await member(w);
    expect(await assign(user, { keys: ['checkout_cta'] })).toEqual({ assignments: { checkout_cta: chooseVariant('checkout_cta', user.uid, VARIANTS) } });
    expect((await exposures()).filter((e) => e.user_id === user.uid)).toHaveLength(1);
  });
});
