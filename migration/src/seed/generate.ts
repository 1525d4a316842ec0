import { demoCounts } from './counts.js';
import { Random } from './random.js';
import type { TableRows } from './rows.js';
import { generateAi } from './tables/ai.js';
import { generateAnalytics } from './tables/analytics.js';
import { generateBadges } from './tables/badges.js';
import { generateCoaching } from './tables/coaching.js';
import { generateCommerce } from './tables/commerce.js';
import { generateCommunity } from './tables/community.js';
import { generateConfig } from './tables/config.js';
import { generateContent } from './tables/content.js';
import { generateEmail } from './tables/email.js';
import { generateEvents } from './tables/events.js';
import { generateInbox } from './tables/inbox.js';
import { generateMarketing } from './tables/marketing.js';
import { generateSocial } from './tables/social.js';
import { generateUsers } from './tables/users.js';

/**
 * The whole demo data set, table by table in an order where every referenced row comes first
 * (auth.users, then parents before children). Only analytics_events is produced lazily.
 */
export function generateDemoData(scale: number, seed: string): TableRows[] {
  const rng = new Random(`zhengrowth-demo:${seed}`);
  const counts = demoCounts(scale);
  const people = generateUsers(rng, counts);
  const coaching = generateCoaching(rng, counts, people);
  return [
    ...people.tables,
    ...generateBadges(rng, counts, people).tables,
    ...coaching.tables,
    ...generateContent(rng, counts, people).tables,
    ...generateCommerce(rng, counts, people, coaching.offers, coaching.eventTypes, coaching.calBookings).tables,
    ...generateEvents(rng, counts, people).tables,
    ...generateMarketing(rng, counts, people).tables,
    ...generateAnalytics(rng, counts, people).tables,
    ...generateAi(rng, counts, people).tables,
    ...generateCommunity(rng, counts, people).tables,
    ...generateSocial(rng, counts, people).tables,
    ...generateConfig(rng).tables,
    ...generateEmail(rng, counts, people).tables,
    ...generateInbox(rng, counts, people).tables,
  ];
}
