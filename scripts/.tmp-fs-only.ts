import { startEmulators } from '@zhengrowth/devstack';
const suite = await startEmulators({ only: ['firestore'], projectId: 'demo-zhengrowth', timeoutMs: 600_000 });
console.log(`FIRESTORE_EMULATOR_HOST=${suite.firestoreHost}`);
process.on('SIGTERM', () => void suite.stop().then(() => process.exit(0)));
setInterval(() => undefined, 1 << 30);
