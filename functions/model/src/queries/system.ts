import { backupRuns } from '../collections/system.js';
import { defineQuery } from './spec.js';

/** Queries of the server's own upkeep. */

/** The exports not known to have ended: the daily backup asks the API how each one went. */
export const backupRunsByStatus = defineQuery({
  name: 'system.backupRunsByStatus',
  collection: backupRuns,
  where: [{ field: 'status', op: '==' }],
  usedBy: 'functions:backupFirestore',
});

export const SYSTEM_QUERIES = [backupRunsByStatus];
