import { ACCOUNT_QUERIES } from './accounts.js';
import { ACCESS_QUERIES } from './access.js';
import { COMMERCE_QUERIES } from './commerce.js';
import { MESSAGING_QUERIES } from './messaging.js';
import { GROWTH_QUERIES } from './growth.js';
import { SOCIAL_QUERIES } from './social.js';
import type { QuerySpec } from './spec.js';
import { SYSTEM_QUERIES } from './system.js';
import { WEB_QUERIES } from './web.js';

export { defineQuery, type QuerySpec, type FilterOp } from './spec.js';
export * from './commerce.js';
export * from './growth.js';
export * from './web.js';
export * from './social.js';
export * from './messaging.js';
export * from './accounts.js';
export * from './access.js';
export * from './system.js';

/**
 * Every query of the code base. Domains add theirs in a file of this folder and list it here.
 */
export const ALL_QUERIES: readonly QuerySpec[] = [
  ...COMMERCE_QUERIES,
  ...MESSAGING_QUERIES,
  ...WEB_QUERIES,
  ...ACCOUNT_QUERIES,
  ...ACCESS_QUERIES,
  ...GROWTH_QUERIES,
  ...SOCIAL_QUERIES,
  ...SYSTEM_QUERIES,
];
