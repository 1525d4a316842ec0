export { findJava, MissingToolError, MIN_JAVA_MAJOR, type JavaInstall } from './java.js';
export { findFirestoreEmulator, FIRESTORE_INSTALL_HINT } from './firestore-jar.js';
export {
  startEmulators,
  emulatorToolEnv,
  emulatorUiCached,
  PORT_PURPOSES,
  type EmulatorSuite,
  type EmulatorName,
  type PortName,
  type StartOptions,
} from './emulators.js';
export { followFunctionLogs, formatFunctionLog, type LogBundle, type LogFollower } from './function-logs.js';
export { assertPortsFree, findPortHolder, describeHolder, portFree, PortInUseError, type PortHolder } from './port-holder.js';
export { startStandInProxy, type StandInProxy } from './standin-proxy.js';
export { setBackgroundTriggers } from './triggers.js';
export { startPostgres, findPostgresBin, PG_MAJOR, type PostgresServer } from './postgres.js';
export { freePort, freePorts, waitForPort } from './ports.js';
export { DEMO_PROJECT_ID, repoRoot, stackCacheDir } from './paths.js';
export { syncLocalSecrets } from './secrets.js';
export { commandOf, descendants, isAlive, killGroup, launcherChain, startWatchdog } from './processes.js';
export { applySqlFolder, supabaseMigrationsDir, createDatabase, dropDatabase, quoteIdent, withDatabase } from './sql.js';
export { inFlight, median, percentile } from './measure.js';
