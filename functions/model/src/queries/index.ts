import { ACCOUNT_QUERIES } from './accounts.js';
import { COMMERCE_QUERIES } from './commerce.js';
import { MESSAGING_QUERIES } from './messaging.js';
import type { QuerySpec } from './spec.js';
import { WEB_QUERIES } from './web.js';

export { defineQuery, type QuerySpec, type FilterOp } from './spec.js';
export * from './commerce.js';
export * from './web.js';
export * from './messaging.js';
export * from './accounts.js';

/**
 * Every query of the code base. Domains add theirs in a file of this folder and list it here.
 */
export const ALL_QUERIES: readonly QuerySpec[] = [...COMMERCE_QUERIES, ...MESSAGING_QUERIES, ...WEB_QUERIES, ...ACCOUNT_QUERIES];
