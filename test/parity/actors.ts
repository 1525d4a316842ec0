import { createHash } from 'node:crypto';
import type { AppRole } from '@zhengrowth/model';

/** A deterministic uuid (v4 layout) for a fixture tag, so failures name the same rows every run. */
export function uuid(tag: string): string {
  const h = createHash('sha256').update(tag).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export type ActorId = 'anon' | 'clientA' | 'clientB' | 'coach' | 'admin' | 'unverified';

export interface SignedInActor {
  id: Exclude<ActorId, 'anon'>;
  uid: string;
  email: string;
  /** auth.users.email_confirmed_at set (SQL) / the token's email_verified (Firebase). */
  emailVerified: boolean;
  /** user_roles rows (SQL) / the `roles` custom claim (Firebase). */
  roles: AppRole[];
  label: string;
}

export interface AnonActor {
  id: 'anon';
  label: string;
}

export type Actor = AnonActor | SignedInActor;

/**
 * The actors of the matrix. `unverified` is a signed-in client whose e-mail is not confirmed and
 * equals the address a guest booked with: the case the e-mail ownership rules must refuse.
 */
export const ACTORS: Readonly<Record<ActorId, Actor>> = {
  anon: { id: 'anon', label: 'anonymous visitor' },
  clientA: { id: 'clientA', uid: uuid('user:alice'), email: 'alice@example.com', emailVerified: true, roles: ['client'], label: 'client A' },
  clientB: { id: 'clientB', uid: uuid('user:bob'), email: 'bob@example.com', emailVerified: true, roles: ['client'], label: 'client B' },
  coach: { id: 'coach', uid: uuid('user:coach'), email: 'coach@example.com', emailVerified: true, roles: ['coach'], label: 'coach' },
  admin: { id: 'admin', uid: uuid('user:admin'), email: 'admin@example.com', emailVerified: true, roles: ['admin'], label: 'admin' },
  unverified: {
    id: 'unverified',
    uid: uuid('user:guest'),
    email: 'guest@example.com',
    emailVerified: false,
    roles: ['client'],
    label: 'client with an unconfirmed e-mail',
  },
};

export const ACTOR_IDS = Object.keys(ACTORS) as ActorId[];
export const SIGNED_IN: readonly SignedInActor[] = ACTOR_IDS.map((a) => ACTORS[a]).filter((a): a is SignedInActor => a.id !== 'anon');

export function signedIn(id: Exclude<ActorId, 'anon'>): SignedInActor {
  return ACTORS[id] as SignedInActor;
}

export const A = signedIn('clientA');
export const B = signedIn('clientB');
export const COACH = signedIn('coach');
export const UNVERIFIED = signedIn('unverified');
