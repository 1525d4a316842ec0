import type { AnyCollection } from './collection.js';
import * as accounts from './collections/accounts.js';
import * as analytics from './collections/analytics.js';
import * as coaching from './collections/coaching.js';
import * as commerce from './collections/commerce.js';
import * as community from './collections/community.js';
import * as config from './collections/config.js';
import * as content from './collections/content.js';
import * as events from './collections/events.js';
import * as growth from './collections/growth.js';
import * as marketing from './collections/marketing.js';
import * as migration from './collections/migration.js';
import * as system from './collections/system.js';
import * as users from './collections/users.js';

function collectionsOf(...mods: Array<Record<string, unknown>>): AnyCollection[] {
  // Sorted by path: module namespace order differs between loaders, the generated doc must not.
  return mods
    .flatMap((mod) => Object.values(mod))
    .filter((v): v is AnyCollection => typeof v === 'object' && v !== null && 'template' in v && 'converter' in v && 'schema' in v)
    .sort((a, b) => a.template.localeCompare(b.template));
}

/** Every collection of the model, grouped by domain (the order of the generated document). */
export const DOMAINS: ReadonlyArray<{ name: string; collections: AnyCollection[] }> = [
  { name: 'Users and their own data', collections: collectionsOf(users) },
  { name: 'Content', collections: collectionsOf(content) },
  { name: 'Coaching and bookings', collections: collectionsOf(coaching) },
  { name: 'Commerce', collections: collectionsOf(commerce) },
  { name: 'Events', collections: collectionsOf(events) },
  { name: 'Marketing', collections: collectionsOf(marketing) },
  { name: 'Analytics, experiments and AI', collections: collectionsOf(analytics) },
  { name: 'Community', collections: collectionsOf(community) },
  { name: 'Growth (referrals, leads, funnels, badges, rollups)', collections: collectionsOf(growth) },
  { name: 'Configuration and messaging', collections: collectionsOf(config) },
  { name: 'Accounts: audit, deletions, archived receipts', collections: collectionsOf(accounts) },
  // The migration's state (collections/migration.ts) is server-only bookkeeping like the rest of System.
  { name: 'System', collections: collectionsOf(system, migration) },
];

export const ALL_COLLECTIONS: readonly AnyCollection[] = DOMAINS.flatMap((d) => d.collections);

/** Where each Supabase table lands (a table can feed several collections, e.g. social_accounts). */
export function collectionsForTable(table: string): AnyCollection[] {
  return ALL_COLLECTIONS.filter((c) => c.sources.includes(table));
}
