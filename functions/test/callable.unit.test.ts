/** What runCallable lets a client see of a handler's failure: specific codes, never a stack or an internal message. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpsError } from 'firebase-functions/v2/https';
import { defineCallable, type CallableAccess, type CallableContract } from '@zhengrowth/model';
import { runCallable, type CallableHandler } from '../src/core/callable.js';
import type { Deps } from '../src/core/deps.js';
import { screenCallableBody, unreadableReason } from '../src/core/request-body.js';

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

describe('the contract is the gate', () => {
  const contractFor = (access: CallableAccess) => defineCallable({ ...probe, access });
  let calls = 0;
  const counting: CallableHandler<CallableContract, Deps> = () => {
    calls += 1;
    return Promise.resolve({ ok: true });
  };
  const as = (roles: string[] | null) => (roles ? { uid: 'u1', token: { email: 'u1@example.com', email_verified: true, roles } } : undefined);
  async function codeOf(access: CallableAccess, roles: string[] | null, data: unknown = { n: 1 }): Promise<string> {
    return runCallable(contractFor(access), counting, { data, auth: as(roles) } as never, {} as Deps).then(
      () => 'ok',
      (e: unknown) => (e instanceof HttpsError ? e.code : 'thrown'),
    );
  }

  it('refuses callers the access does not admit before it reads the input, and never runs the handler for them', async () => {
    calls = 0;
    const cases: Array<[CallableAccess, string[] | null, string]> = [
      ['signed-in', null, 'unauthenticated'],
      ['staff', null, 'unauthenticated'],
      ['admin', null, 'unauthenticated'],
      ['staff', ['client'], 'permission-denied'],
      ['admin', ['client'], 'permission-denied'],
      ['admin', ['coach'], 'permission-denied'],
      // A roles claim that is not a list is no roles.
      ['admin', 'admin' as unknown as string[], 'permission-denied'],
    ];
    for (const [access, roles, expected] of cases) {
      for (const data of [{ n: 1 }, { n: 'not a number' }, ['not', 'an', 'object'], null]) {
        expect([access, roles, data, await codeOf(access, roles, data)]).toEqual([access, roles, data, expected]);
      }
    }
    expect(calls).toBe(0);
  });

  it('admits the callers the access names', async () => {
    calls = 0;
    expect(await codeOf('public', null)).toBe('ok');
    expect(await codeOf('signed-in', ['client'])).toBe('ok');
    expect(await codeOf('signed-in', [])).toBe('ok');
    expect(await codeOf('staff', ['coach'])).toBe('ok');
    expect(await codeOf('staff', ['admin'])).toBe('ok');
    expect(await codeOf('admin', ['admin', 'coach'])).toBe('ok');
    expect(calls).toBe(6);
  });

  it('answers an input zod cannot walk with invalid-argument, not internal', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = { n: deep };
    const nested = defineCallable({ ...probe, input: z.object({ n: z.json() }) });
    const code = await runCallable(nested, counting as never, { data: deep, auth: as(['client']) } as never, {} as Deps).then(
      () => 'ok',
      (e: unknown) => (e instanceof HttpsError ? e.code : 'thrown'),
    );
    expect(code).toBe('invalid-argument');
  });
});

describe('a callable body the protocol cannot decode', () => {
  it('is named before the framework walks it: too deep, or an "@type" it cannot read', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unreadableReason(deep)).toMatch(/deeper than 64/);
    expect(unreadableReason({ n: { '@type': 'type.example/Unknown', value: 1 } })).toMatch(/@type/);
    expect(unreadableReason({ n: { '@type': 'type.googleapis.com/google.protobuf.Int64Value', value: 'x' } })).toMatch(/@type/);
    expect(unreadableReason({ n: { '@type': 'type.googleapis.com/google.protobuf.Int64Value', value: '12' } })).toBeNull();
    expect(unreadableReason({ a: [{ b: 'c' }], d: null })).toBeNull();
  });

  it('is answered invalid-argument after the access check', async () => {
    const req = { body: { data: { '@type': 'x' } } };
    screenCallableBody(req as never);
    expect(req.body.data).toBeNull();
    const code = (auth: unknown) =>
      runCallable(probe, answering({ ok: true }), { data: null, auth, rawRequest: req } as never, {} as Deps).then(
        () => 'ok',
        (e: unknown) => (e as HttpsError).code,
      );
    expect(await code(undefined)).toBe('unauthenticated');
    expect(await code({ uid: 'u1', token: { roles: ['client'] } })).toBe('invalid-argument');
  });
});
