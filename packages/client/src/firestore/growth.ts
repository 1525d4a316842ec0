import { getDoc, serverTimestamp, updateDoc, type Firestore } from 'firebase/firestore';
import { funnels, referralAccounts, userStats } from '@zhengrowth/model';
import { modelDoc } from './refs.js';

/** The signed-in user's referral code and referrer (null until made: `api.getMyReferralCode` makes it). */
export async function getMyReferralAccount(db: Firestore, uid: string) {
  const snap = await getDoc(modelDoc(db, referralAccounts, { uid }));
  return snap.exists() ? snap.data() : null;
}

/** The signed-in user's counts that badges are awarded from (lessons completed, posts, …). */
export async function getMyBadgeCounts(db: Firestore, uid: string): Promise<Record<string, number>> {
  const snap = await getDoc(modelDoc(db, userStats, { uid }));
  return snap.exists() ? snap.data().counts : {};
}

/** Admins: pause (active: false) or resume a funnel; paused enrolments wait where they are. */
export async function setFunnelActive(db: Firestore, funnelId: string, active: boolean): Promise<void> {
  await updateDoc(modelDoc(db, funnels, { funnelId }), { active, updated_at: serverTimestamp() });
}
