import { demoCounts } from './counts.js';
import { Random } from './random.js';
import type { Row, TableRows } from './rows.js';
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
import { generateStory, type StoryRows } from './tables/story.js';
import { generateUsers } from './tables/users.js';
import { timeline } from './time.js';

function* concat(a: Iterable<Row>, b: readonly Row[]): Generator<Row> {
  yield* a;
  yield* b;
}

/** The story's rows after the generated ones of the same table (laziness kept). */
function withStory(tables: TableRows[], story: StoryRows): TableRows[] {
  const known = new Set(tables.map((t) => t.table));
  const stray = Object.keys(story).filter((t) => !known.has(t));
  if (stray.length) throw new Error(`the demo story fills tables the generator does not: ${stray.join(', ')}`);
  return tables.map(({ table, rows }) => {
    const more = story[table];
    return more?.length
      ? { table, rows: Array.isArray(rows) ? [...(rows as Row[]), ...more] : { [Symbol.iterator]: () => concat(rows, more) } }
      : { table, rows };
  });
}

/**
 * The whole demo data set, table by table in an order where every referenced row comes first
 * (auth.users, then parents before children). Only analytics_events is produced lazily. Dates are
 * relative to `day` (its UTC date): the same seed and day give the same rows.
 */
export function generateDemoData(scale: number, seed: string, day: Date = new Date()): TableRows[] {
  const rng = new Random(`zhengrowth-demo:${seed}`);
  const counts = demoCounts(scale);
  const time = timeline(day);
  const people = generateUsers(rng, counts, time);
  const coaching = generateCoaching(rng, counts, people, time);
  const tables = [
    ...people.tables,
    ...generateBadges(rng, counts, people, time).tables,
    ...coaching.tables,
    ...generateContent(rng, counts, people, time).tables,
    ...generateCommerce(rng, counts, people, coaching.offers, coaching.eventTypes, coaching.calBookings, time).tables,
    ...generateEvents(rng, counts, people, time).tables,
    ...generateMarketing(rng, counts, people, time).tables,
    ...generateAnalytics(rng, counts, people, time).tables,
    ...generateAi(rng, counts, people, time).tables,
    ...generateCommunity(rng, counts, people, time).tables,
    ...generateSocial(rng, counts, people, time).tables,
    ...generateConfig(rng, time).tables,
    ...generateEmail(rng, counts, people, time).tables,
    ...generateInbox(rng, counts, people, time).tables,
  ];
  return withStory(tables, generateStory(rng, people, coaching.offers, coaching.eventTypes, time));
}
