import { COMMERCE_QUERIES } from './commerce.js';
import { GROWTH_QUERIES } from './growth.js';
import type { QuerySpec } from './spec.js';
import { WEB_QUERIES } from './web.js';

export { defineQuery, type QuerySpec, type FilterOp } from './spec.js';
export * from './commerce.js';
export * from './growth.js';
export * from './web.js';

/**
 * Every query of the code base. Domains add theirs in a file of this folder and list it here.
 */
export const ALL_QUERIES: readonly QuerySpec[] = [...COMMERCE_QUERIES, ...GROWTH_QUERIES, ...WEB_QUERIES];
