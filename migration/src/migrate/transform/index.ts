/** Source row → Firestore documents, exactly, or a rejection with its reason (see the modules). */
export * from './types.js';
export { finishDocument } from './document.js';
export { money } from '../codecs/money.js';
export { compileTable, type CompiledTable, type DestinationPaths, type OldPath } from './table.js';
export { compileUsers, type UserInput, type UserOutcome } from './users.js';
