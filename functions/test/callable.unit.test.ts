/** What runCallable lets a client see of a handler's failure: specific codes, never a stack or an internal message. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpsError } from 'firebase-functions/v2/https';
import { defineCallable } from '@zhengrowth/model';
import { runCallable, type CallableHandler } from '../src/core/callable.js';
import type { Deps } from '../src/core/deps.js';

const probe = defineCallable({
  name: 'probe',
  input: z.object({ n: z.number().int() }),
  output: z.object({ ok: z.literal(true) }),
  access: 'signed-in',
  description: 'a test contract',
});

const grpcError = (code: number, message: string) => Object.assign(new Error(message), { code });
const throwing =
  (err: unknown): CallableHandler<typeof probe, Deps> =>
  () =>
    Promise.reject(err instanceof Error ? err : new Error(String(err)));
const answering =
  (answer: unknown): CallableHandler<typeof probe, Deps> =>
  () =>
    Promise.resolve(answer as { ok: true });

async function failureOf(handler: CallableHandler<typeof probe, Deps>, data: unknown = { n: 1 }): Promise<HttpsError> {
  const auth = { uid: 'u1', token: { email: 'u1@example.com', email_verified: true, roles: ['client'] } };
  const err = await runCallable(probe, handler, { data, auth } as never, {} as Deps).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpsError);
  return err as HttpsError;
}

describe('runCallable', () => {
  it('names the field of a bad input', async () => {
    const e = await failureOf(answering({ ok: true }), { n: 'x' });
    expect([e.code, e.message]).toEqual(['invalid-argument', expect.stringMatching(/^n: /) as unknown]);
  });

  it('passes a handler’s HttpsError through as it is', async () => {
    const e = await failureOf(throwing(new HttpsError('failed-precondition', 'not now')));
    expect([e.code, e.message]).toEqual(['failed-precondition', 'not now']);
  });

  it('tells a transaction that lost to a concurrent one as aborted (try again), Firestore’s and the emulator’s', async () => {
    for (const err of [
      grpcError(10, '10 ABORTED: Too much contention on these documents.'),
      grpcError(3, '3 INVALID_ARGUMENT: Transaction is invalid or closed.'),
    ]) {
      const e = await failureOf(throwing(err));
      expect(e.code).toBe('aborted');
      expect(e.message).not.toMatch(/ABORTED|INVALID_ARGUMENT|contention/);
    }
  });

  it('hides anything else behind internal, and an answer that breaks the contract too', async () => {
    const other = await failureOf(throwing(grpcError(3, '3 INVALID_ARGUMENT: Property name is not valid')));
    expect([other.code, other.message]).toEqual(['internal', 'Something went wrong; please try again.']);
    const broken = await failureOf(answering({ ok: false }));
    expect(broken.code).toBe('internal');
  });
});
