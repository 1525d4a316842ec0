import { ACCESS_QUERIES } from './access.js';
import { COMMERCE_QUERIES } from './commerce.js';
import type { QuerySpec } from './spec.js';
import { WEB_QUERIES } from './web.js';

export { defineQuery, type QuerySpec, type FilterOp } from './spec.js';
export * from './commerce.js';
export * from './web.js';
export * from './access.js';

/**
 * Every query of the code base. Domains add theirs in a file of this folder and list it here.
 */
export const ALL_QUERIES: readonly QuerySpec[] = [...COMMERCE_QUERIES, ...WEB_QUERIES, ...ACCESS_QUERIES];
