import { testFirebase, testProjectId, type TestFirebase } from '@zhengrowth/devstack/testing';
import { ALL_COLLECTIONS, ModelValidationError, goals, users } from '@zhengrowth/model';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleFor, sampleParams } from './sample.js';

let fb: TestFirebase;

/** The converter runs inside set() and throws synchronously: make that a rejection. */
const write = async (fn: () => Promise<unknown>): Promise<unknown> => fn();

beforeAll(async () => {
  fb = testFirebase(testProjectId('model'));
  await fb.clear();
});
afterAll(async () => {
  await fb.close();
});

describe('every model collection round-trips through its converter on the real emulator', () => {
  it.each(ALL_COLLECTIONS.map((c) => [c.template, c] as const))('%s', async (_template, c) => {
    const sample = sampleFor(c.schema) as Record<string, unknown>;
    const path = c.docPath(sampleParams(c.template));
    const ref = fb.db.doc(path).withConverter(c.converter);
    await ref.set(sample);
    const back = (await ref.get()).data();
    expect(back).toEqual(sample);
    // Raw read: what is stored is exactly the schema's fields (no hidden extras).
    const raw = (await fb.db.doc(path).get()).data() ?? {};
    expect(Object.keys(raw).sort()).toEqual(
      Object.keys(c.schema.shape as Record<string, unknown>)
        .filter((k) => sample[k] !== undefined)
        .sort(),
    );
  });
});

describe('converters refuse documents that break the model', () => {
  it('refuses to write a document with a missing required field', async () => {
    const ref = fb.db.doc(goals.docPath({ uid: 'u1', goalId: 'g-missing' })).withConverter(goals.converter);
    const bad = { ...(sampleFor(goals.schema) as Record<string, unknown>) };
    delete bad.title;
    await expect(write(() => ref.set(bad as never))).rejects.toThrow(ModelValidationError);
    expect((await fb.db.doc(ref.path).get()).exists).toBe(false);
  });

  it('refuses unknown fields and money as a float', async () => {
    const ref = fb.db.doc(users.docPath({ uid: 'u-extra' })).withConverter(users.converter);
    const good = sampleFor(users.schema) as Record<string, unknown>;
    await expect(write(() => ref.set({ ...good, is_admin: true } as never))).rejects.toThrow(/is_admin|Unrecognized/);
    const receipt = ALL_COLLECTIONS.find((c) => c.collection === 'users/{uid}/receipts');
    expect(receipt).toBeDefined();
    const r = receipt!;
    const rref = fb.db.doc(r.docPath({ uid: 'u1', receiptId: 'r1' })).withConverter(r.converter);
    await expect(write(() => rref.set({ ...(sampleFor(r.schema) as object), amount_minor: 49.99 }))).rejects.toThrow(/amount_minor/);
  });

  it('refuses, on read, a stored document that breaks the model', async () => {
    const path = goals.docPath({ uid: 'u1', goalId: 'g-bad' });
    await fb.db.doc(path).set({ title: 42, user_id: 'u1', created_at: Timestamp.now() });
    await expect(
      fb.db
        .doc(path)
        .withConverter(goals.converter)
        .get()
        .then((s) => s.data()),
    ).rejects.toThrow(new RegExp(`${path}.*title`));
  });

  it('merges partial documents with set(..., { merge: true })', async () => {
    const path = goals.docPath({ uid: 'u1', goalId: 'g-merge' });
    const ref = fb.db.doc(path).withConverter(goals.converter);
    await ref.set(sampleFor(goals.schema) as never);
    await ref.set({ progress_percent: 80 }, { merge: true });
    expect((await ref.get()).data()?.progress_percent).toBe(80);
    await expect(write(() => ref.set({ progress_percent: 'eighty' } as never, { merge: true }))).rejects.toThrow(ModelValidationError);
  });
});

describe('paths', () => {
  it('are built from the templates and refuse ids Firestore forbids', () => {
    expect(goals.docPath({ uid: 'u1', goalId: 'g1' })).toBe('users/u1/goals/g1');
    expect(goals.collectionPath({ uid: 'u1' })).toBe('users/u1/goals');
    expect(goals.groupId).toBe('goals');
    for (const bad of ['a/b', '.', '..', '__id__', '']) {
      expect(() => goals.docPath({ uid: 'u1', goalId: bad })).toThrow(/invalid document id/);
    }
  });

  it('every collection template is unique and every Supabase table has a home', () => {
    const templates = ALL_COLLECTIONS.map((c) => c.template);
    expect(new Set(templates).size).toBe(templates.length);
    const sources = new Set(ALL_COLLECTIONS.flatMap((c) => c.sources));
    expect(sources.size).toBe(45);
  });
});
