/**
 * ensureProfile: what the web app calls after every sign-in. Creates the profile if the sign-up
 * trigger has not (yet), repairs what it can tell from the token (e-mail, its verification, the
 * password-reset flag, missing grants, the sign-up defaults), links guest records made with the
 * verified e-mail, records a referral code, and brings the roles claim in line with the profile.
 * Every part is idempotent: twenty calls at once leave what one call leaves.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { logger } from 'firebase-functions/logger';
import { appLangOf, type ensureProfile as contract, type UserDoc } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import type { Caller } from '../core/context.js';
import { txSet, runTx } from '../core/firestore.js';
import { syncRolesClaim } from './claims.js';
import { isUserNotFound, type AccountDeps } from './deps.js';
import { linkGuestRecords, type Linked } from './link.js';
import { createProfileOnce, factsOf, PROFILE_DEFAULTS, userRef, type SignupHints } from './profile.js';
import { grantsFor, sameRoles } from './roles.js';
import { claimReferralCode } from '../growth/referral-claim.js';

/**
 * What the token says that the profile does not (yet): the changes of one repair, computed from the
 * document as read inside the transaction, so a repeated or concurrent call computes nothing new.
 */
export function repairsOf(doc: UserDoc, caller: Caller, hints: SignupHints, now: Timestamp): Partial<UserDoc> {
  const patch: Partial<UserDoc> = {};
  const email = caller.email?.toLowerCase() ?? null;
  if (email !== null && doc.email !== email) patch.email = email;
  if (doc.email_verified !== caller.emailVerified) patch.email_verified = caller.emailVerified;
  if (doc.roles.some((r) => !doc.role_grants[r])) patch.role_grants = grantsFor(doc.roles, doc.role_grants, now);
  // A migrated account without a password: Firebase accepted a password sign-in, so one was set since.
  if (doc.password_reset_required === true && caller.signInProvider === 'password') patch.password_reset_required = false;
  if (doc.defaults_pending === true && (hints.lang !== undefined || hints.timezone !== undefined)) {
    // Only where the sign-up default is still there: a value the user chose meanwhile stays.
    if (hints.lang !== undefined && doc.lang === PROFILE_DEFAULTS.lang) patch.lang = hints.lang;
    if (hints.timezone !== undefined && doc.timezone === PROFILE_DEFAULTS.timezone) patch.timezone = hints.timezone;
    patch.defaults_pending = false;
  }
  if (hints.referralCode !== undefined && !doc.signup_referral_code) {
    patch.signup_referral_code = hints.referralCode;
    patch.signup_referral_at = now;
  }
  return patch;
}

/** Applies the repairs in a transaction when there are any; the profile as it stands after. */
async function repair(deps: AccountDeps, caller: Caller, hints: SignupHints, current: UserDoc): Promise<UserDoc> {
  const now = Timestamp.fromDate(deps.now());
  if (Object.keys(repairsOf(current, caller, hints, now)).length === 0) return current;
  const ref = userRef(deps.db, caller.uid);
  return runTx(deps.db, async (tx) => {
    const doc = (await tx.get(ref)).data();
    if (!doc) throw new Error(`users/${caller.uid} vanished during ensureProfile`);
    const patch = repairsOf(doc, caller, hints, now);
    if (Object.keys(patch).length === 0) return doc;
    const next: UserDoc = { ...doc, ...patch, updated_at: now };
    txSet(tx, ref, next);
    return next;
  });
}

/**
 * The code recorded at sign-up links the new user to its referrer (growth/referral-claim.ts, the
 * same rules as claimReferral; a repeat is answered as done). A refused code must not fail the
 * sign-up: it is logged and the user can still claim another code with claimReferral.
 */
async function linkSignupReferral(deps: AccountDeps, me: Caller, doc: UserDoc): Promise<void> {
  const code = doc.signup_referral_code;
  if (!code) return;
  // The window runs from the Auth account's creation, as claimReferral's does: a profile can be
  // made much later than its account (a migrated user, a profile repaired after a failed trigger).
  const account = await deps.auth.getUser(me.uid).catch((err: unknown) => {
    if (isUserNotFound(err)) return null;
    throw err;
  });
  if (!account) return;
  const result = await runTx(deps.db, (tx) =>
    claimReferralCode(tx, deps.db, {
      refereeUid: me.uid,
      refereeEmail: doc.email,
      code,
      signedUpAt: new Date(account.metadata.creationTime),
      now: deps.now(),
    }),
  );
  if (!result.ok) logger.info('ensureProfile: the sign-up referral code was not linked', { uid: me.uid, reason: result.reason });
}

const NOTHING_LINKED: Linked = { orders: 0, bookings: 0, cal_bookings: 0, event_registrations: 0 };

export const ensureProfileHandler: CallableHandler<typeof contract, AccountDeps> = async (input, me, deps) => {
  const hints: SignupHints = {
    lang: input.lang === undefined ? undefined : (appLangOf(input.lang) ?? PROFILE_DEFAULTS.lang),
    timezone: input.timezone,
    referralCode: input.referral_code,
  };
  const ref = userRef(deps.db, me.uid);
  let doc = (await ref.get()).data();
  let created = false;
  if (!doc) {
    created = await createProfileOnce(deps, factsOf(await deps.auth.getUser(me.uid)), hints, 'ensure_profile');
    doc = (await ref.get()).data();
    if (!doc) throw new HttpsError('failed-precondition', 'this account is being deleted');
  }
  doc = await repair(deps, me, hints, doc);
  if (hints.referralCode !== undefined && doc.signup_referral_code) await linkSignupReferral(deps, me, doc);
  const linked = me.emailVerified && me.email ? await linkGuestRecords(deps, me.uid, me.email.toLowerCase()) : NOTHING_LINKED;
  // The token's roles are the claim it was minted with: when they differ, bring the claim in line and say "refresh".
  const claimsUpdated = !sameRoles(me.roles, doc.roles);
  if (claimsUpdated) await syncRolesClaim(deps, me.uid);
  return {
    uid: me.uid,
    created,
    profile: {
      email: doc.email,
      email_verified: doc.email_verified ?? me.emailVerified,
      name: doc.name,
      lang: doc.lang,
      timezone: doc.timezone,
      roles: doc.roles,
      coach_id: doc.coach_id ?? null,
    },
    password_reset_required: doc.password_reset_required === true,
    claims_updated: claimsUpdated,
    linked,
    referral_code: doc.signup_referral_code ?? null,
  };
};
