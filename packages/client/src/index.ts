/**
 * @zhengrowth/client: the web app's typed door to the backend.
 *
 * - `createApiClient(functions)`: one typed function per callable of the model's API; refusals are
 *   ApiErrors with the HttpsError code and the server's message.
 * - Firestore helpers for the paths the rules let a client read and write directly, producing
 *   exactly the documents the rules accept, and lists that survive a bad document (readDocs).
 */
export { createApiClient, type ApiClient, type ApiClientOptions } from './api.js';
export { ApiError, toApiError, type ApiErrorCode } from './errors.js';
export { webConverter } from './firestore/converter.js';
export { readDocs, type ReadResult } from './firestore/read.js';
export { modelCollection, modelDoc } from './firestore/refs.js';
export { specQuery } from './firestore/queries.js';
export * from './firestore/profile.js';
export * from './firestore/goals.js';
export * from './firestore/lessons.js';
export * from './firestore/inbox.js';
export * from './firestore/community.js';
export * from './firestore/growth.js';
export * from './firestore/mine.js';
export * from './firestore/coach.js';
export * from './firestore/admin.js';
export * from './firestore/social.js';
