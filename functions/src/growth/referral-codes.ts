/**
 * Referral codes: every user gets one, made once (on sign-up by the domain-event follower, or on
 * first use by `getMyReferralCode`) and never changed. A code is 10 characters drawn uniformly by
 * crypto.randomInt from 32 letters and digits that cannot be confused (no 0/O, 1/I/L): 50 bits,
 * unguessable, not derived from the uid. referral_codes/{code} makes it unique (a collision,
 * about one in 10^15 per code, draws again).
 */
import { randomInt } from 'node:crypto';
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { referralAccounts, referralCodes, type ReferralAccountDoc } from '@zhengrowth/model';
import { txCreate, txMerge, runTx } from '../core/firestore.js';

const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 10;

export function newReferralCode(): string {
  let s = '';
  for (let i = 0; i < LENGTH; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

export const accountRef = (db: Firestore, uid: string) => db.doc(referralAccounts.docPath({ uid })).withConverter(referralAccounts.converter);
export const codeRef = (db: Firestore, code: string) => db.doc(referralCodes.docPath({ code })).withConverter(referralCodes.converter);

export interface AccountRead {
  /** The stored account, or the one `write()` will create (with a fresh code). */
  account: ReferralAccountDoc;
  existed: boolean;
  /** Writes the account (and its new code); `changes` on top. A write of the caller's transaction. */
  write(changes?: Partial<ReferralAccountDoc>): void;
}

/** Reads a user's referral account, drawing a new code when there is none (reads only: call before any write). */
export async function readAccount(tx: Transaction, db: Firestore, uid: string, now: Date): Promise<AccountRead> {
  const ref = accountRef(db, uid);
  const stored = (await tx.get(ref)).data();
  if (stored) {
    const write = (changes: Partial<ReferralAccountDoc> = {}): void => {
      if (Object.keys(changes).length) txMerge(tx, ref, changes);
    };
    return { account: stored, existed: true, write };
  }
  let code = newReferralCode();
  for (let tries = 1; (await tx.get(codeRef(db, code))).exists; tries++) {
    if (tries >= 5) throw new Error('referral codes: five collisions in a row');
    code = newReferralCode();
  }
  const at = Timestamp.fromDate(now);
  const account: ReferralAccountDoc = { user_id: uid, code, referred_by: null, referral_id: null, linked_at: null, created_at: at };
  return {
    account,
    existed: false,
    write: (changes = {}) => {
      txCreate(tx, codeRef(db, code), { user_id: uid, created_at: at });
      txCreate(tx, ref, { ...account, ...changes });
    },
  };
}

/** The user's code, made if needed, in a transaction of its own. */
export async function ensureReferralCode(db: Firestore, uid: string, now: Date): Promise<ReferralAccountDoc> {
  return runTx(db, async (tx) => {
    const read = await readAccount(tx, db, uid, now);
    read.write();
    return read.account;
  });
}
