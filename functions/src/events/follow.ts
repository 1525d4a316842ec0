/**
 * The followers of domain_events (`onDomainEvent`, a Firestore trigger on each new event): the
 * referral code of a new user, funnel enrolment, and the counts badges are awarded from. Each
 * follower is exactly-once on its own (a deterministic enrolment id; a delivery receipt written with
 * the count), so a redelivery — or a retry after one follower failed — repeats nothing.
 */
import type { DomainEventDoc } from '@zhengrowth/model';
import { countForBadges } from '../badges/award.js';
import type { Deps } from '../core/deps.js';
import { enrolFromEvent } from '../funnels/enrol.js';
import { ensureReferralCode } from '../growth/referral-codes.js';

export interface FollowReport {
  enrolled: number;
  badges: string[];
}

export async function followDomainEvent(deps: Deps, eventId: string, event: DomainEventDoc): Promise<FollowReport> {
  if (event.type === 'signup' && event.user_id) await ensureReferralCode(deps.db, event.user_id, deps.now());
  const enrolled = await enrolFromEvent(deps, eventId, event);
  const badges = await countForBadges(deps, eventId, event);
  return { enrolled, badges };
}
