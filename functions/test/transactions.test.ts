/**
 * runTx against the Firestore emulator: a transaction closed under its function (the emulator's
 * INVALID_ARGUMENT "Transaction is invalid or closed", which the SDK does not retry; CI saw it under
 * load) is run again and commits once; any other error is not retried; the reruns are bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSED_TX_ATTEMPTS, runTx } from '../src/core/firestore.js';
import { testEnv, uniq, type TestEnv } from './support/env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv('transactions');
});
afterAll(async () => {
  await env?.close();
});

/** The error the emulator's gRPC answer becomes in the SDK. */
const closed = (): Error =>
  Object.assign(new Error('3 INVALID_ARGUMENT: Transaction is invalid or closed.'), { code: 3, details: 'Transaction is invalid or closed.' });

describe('runTx', () => {
  it('runs a transaction closed under it again, and its effects land once', async () => {
    const ref = env.db.collection(uniq('tx')).doc('counter');
    let runs = 0;
    const out = await runTx(env.db, async (tx) => {
      runs++;
      const n = ((await tx.get(ref)).data()?.n as number | undefined) ?? 0;
      tx.set(ref, { n: n + 1 });
      if (runs === 1) throw closed();
      return n + 1;
    });
    expect(runs).toBe(2);
    expect(out).toBe(1);
    expect((await ref.get()).data()).toEqual({ n: 1 });
  });

  it('does not rerun on any other error, INVALID_ARGUMENT included', async () => {
    const ref = env.db.collection(uniq('tx')).doc('x');
    let runs = 0;
    const other = Object.assign(new Error('3 INVALID_ARGUMENT: a field is not valid'), { code: 3 });
    await expect(
      runTx(env.db, async (tx) => {
        runs++;
        await tx.get(ref);
        tx.set(ref, { written: true });
        throw other;
      }),
    ).rejects.toBe(other);
    expect(runs).toBe(1);
    expect((await ref.get()).exists).toBe(false);
  });

  it('gives up after a bounded number of runs with the closed error (the callable answers aborted)', async () => {
    const ref = env.db.collection(uniq('tx')).doc('x');
    let runs = 0;
    await expect(
      runTx(env.db, async (tx) => {
        runs++;
        await tx.get(ref);
        tx.set(ref, { written: true });
        throw closed();
      }),
    ).rejects.toMatchObject({ code: 3 });
    expect(runs).toBe(CLOSED_TX_ATTEMPTS);
    expect((await ref.get()).exists).toBe(false);
  });
});
