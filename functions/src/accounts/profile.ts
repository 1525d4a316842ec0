/**
 * users/{uid} at sign-up: made exactly once, by whichever comes first of the Auth onCreate trigger
 * and ensureProfile (or setUserRoles on an account whose trigger has not run yet). The document is
 * created with a create-only write in a transaction that also records the `signup` domain event and
 * queues the welcome e-mail: a second creator's commit fails with ALREADY_EXISTS and changes
 * nothing, so any number of racing creators leave one document, one grant, one event, one e-mail.
 */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import type { UserRecord } from 'firebase-admin/auth';
import { accountDeletions, users, type AppLang, type AppRole, type UserDoc } from '@zhengrowth/model';
import { txCreate, runTx } from '../core/firestore.js';
import { recordDomainEvent } from '../shared/domain-events.js';
import { queueEmail } from '../shared/outbox.js';
import type { AccountDeps } from './deps.js';
import { claimRoles, grantsFor } from './roles.js';

/** zg_profiles' column defaults (the Supabase schema): what a profile holds before the user says otherwise. */
export const PROFILE_DEFAULTS = { lang: 'en' as AppLang, timezone: 'America/Los_Angeles' };

/** What Firebase Auth knows of an account when its profile is made. */
export interface AccountFacts {
  uid: string;
  email: string | null;
  emailVerified: boolean;
  displayName: string | null;
  photoUrl: string | null;
  /** A roles claim set before the profile existed (an admin tool, an import): the profile takes it. */
  claimRoles: AppRole[];
}

/** What the client says at sign-up (ensureProfile's input, checked). */
export interface SignupHints {
  lang?: AppLang | undefined;
  timezone?: string | undefined;
  referralCode?: string | undefined;
}

export type ProfileCreator = 'auth_trigger' | 'ensure_profile' | 'set_user_roles';

export function factsOf(user: Pick<UserRecord, 'uid' | 'email' | 'emailVerified' | 'displayName' | 'photoURL' | 'customClaims'>): AccountFacts {
  return {
    uid: user.uid,
    // Firebase Auth compares addresses case-insensitively and puts them lower-case in tokens.
    email: user.email?.toLowerCase() ?? null,
    emailVerified: user.emailVerified,
    displayName: user.displayName ?? null,
    photoUrl: user.photoURL ?? null,
    claimRoles: claimRoles(user.customClaims),
  };
}

export function userRef(db: Firestore, uid: string) {
  return db.doc(users.docPath({ uid })).withConverter(users.converter);
}

export function newProfile(facts: AccountFacts, hints: SignupHints, now: Timestamp): UserDoc {
  const roles: AppRole[] = facts.claimRoles.length ? facts.claimRoles : ['client'];
  const hinted = hints.lang !== undefined || hints.timezone !== undefined;
  return {
    // A profile made in Firebase has no zg_profiles row: its profile id is the uid.
    profile_id: facts.uid,
    email: facts.email,
    email_verified: facts.emailVerified,
    name: facts.displayName,
    avatar_url: facts.photoUrl,
    lang: hints.lang ?? PROFILE_DEFAULTS.lang,
    timezone: hints.timezone ?? PROFILE_DEFAULTS.timezone,
    created_at: now,
    updated_at: now,
    metadata: {},
    roles,
    role_grants: grantsFor(roles, {}, now),
    coach_id: null,
    signup_referral_code: hints.referralCode ?? null,
    signup_referral_at: hints.referralCode ? now : null,
    defaults_pending: !hinted,
  };
}

function isAlreadyExists(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 6 || code === 'already-exists' || code === 'ALREADY_EXISTS';
}

/**
 * Creates users/{uid} if no one has: true when this call made it. An account whose deletion has
 * begun is never given a profile again (a late trigger after deleteMyAccount).
 */
export async function createProfileOnce(deps: Pick<AccountDeps, 'db' | 'now'>, facts: AccountFacts, hints: SignupHints, via: ProfileCreator): Promise<boolean> {
  const { db } = deps;
  const now = Timestamp.fromDate(deps.now());
  const profile = newProfile(facts, hints, now);
  try {
    return await runTx(db, async (tx) => {
      // No read of users/{uid}: racing creators would lock each other out; the create-only write decides.
      if ((await tx.get(db.doc(accountDeletions.docPath({ uid: facts.uid })))).exists) return false;
      txCreate(tx, userRef(db, facts.uid), profile);
      recordDomainEvent(
        tx,
        db,
        { type: 'signup', userId: facts.uid, subjectId: facts.uid, data: { via, lang: profile.lang, referral_code: profile.signup_referral_code ?? null } },
        now,
      );
      if (profile.email) {
        queueEmail(
          tx,
          db,
          `welcome-${facts.uid}`,
          {
            to: profile.email,
            template: 'welcome',
            subject: 'Welcome to ZhenGrowth',
            text: `Welcome to ZhenGrowth${profile.name ? `, ${profile.name}` : ''}!`,
            variables: { name: profile.name, email: profile.email, lang: profile.lang },
          },
          now,
        );
      }
      return true;
    });
  } catch (err) {
    if (isAlreadyExists(err)) return false;
    throw err;
  }
}
