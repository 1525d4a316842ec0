/** Source row → Firestore documents, exactly, or a rejection with its reason (see the modules). */
export * from './types.js';
export { compileTable, type CompiledTable, type DestinationPaths } from './table.js';
export { compileUsers } from './users.js';
