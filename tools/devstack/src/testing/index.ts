export { freshDatabase, emptyDatabase, TEMPLATE_DB_ENV, type TestDatabase } from './postgres.js';
export { emulatorHosts, testProjectId, testFirebase, clearFirestore, clearAuth, put, type TestFirebase } from './firestore.js';
export { routeStandIn, unrouteStandIn, standInProxyOrigin } from '../standin-proxy.js';
export { startTestStack, runningStack, recordRunningStack, forgetRunningStack, runningStackFile, type TestStack } from './stack.js';
