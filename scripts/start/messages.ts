/** What `npm start` prints: where everything is, and what to do when a port is taken. */
import { describeHolder, PORT_PURPOSES, type EmulatorSuite, type PortInUseError, type PortName } from '@zhengrowth/devstack';

export function step(msg: string): void {
  console.log(`\n▶ ${msg}`);
}

/** "8080 Firestore emulator, 9150 Firestore emulator websocket, …" in a fixed order. */
export function portList(ports: Partial<Record<PortName, number>>): string {
  const order: PortName[] = ['firestore', 'firestoreWebsocket', 'auth', 'functions', 'eventarc', 'tasks', 'hub', 'logging', 'ui'];
  return order
    .filter((n) => ports[n] !== undefined)
    .map((n) => `${ports[n]} ${PORT_PURPOSES[n]}`)
    .join(', ');
}

export function printUrls(suite: EmulatorSuite, seeded: string): void {
  const [fsHost, fsPort] = suite.firestoreHost.split(':');
  const [authHost, authPort] = (suite.authHost ?? '').split(':');
  const fn = `${suite.functionsOrigin}/${suite.projectId}/us-central1`;
  console.log(`
ZhenGrowth backend is running (project ${suite.projectId}, offline emulators).

  Firestore emulator   ${suite.firestoreHost}
  Auth emulator        http://${suite.authHost}
  Functions emulator   ${suite.functionsOrigin}
  Health callable      ${fn}/health
  Webhooks             ${fn}/stripeWebhook  ${fn}/airwallexWebhook  ${fn}/calWebhook
  Ports open           ${portList(suite.ports)}
  Demo data            ${seeded}

Point the web app at them (Firebase web SDK):
  initializeApp({ projectId: '${suite.projectId}', apiKey: 'demo-key', authDomain: '${suite.projectId}.firebaseapp.com' });
  connectFirestoreEmulator(getFirestore(), '${fsHost}', ${fsPort});
  connectAuthEmulator(getAuth(), 'http://${authHost}:${authPort}');
  connectFunctionsEmulator(getFunctions(), '127.0.0.1', ${new URL(suite.functionsOrigin ?? 'http://x:0').port});

Function logs follow, one line each (time, level, function: message).
Everything the emulators print is in ${suite.logFile}
(and their debug logs beside it, in ${suite.logDir}).

Press Ctrl-C to stop.`);
}

/** The port-in-use refusal: which port, who holds it, and how to run anyway. */
export function portInUseMessage(err: PortInUseError): string {
  const who = err.holder ? describeHolder(err.holder) : 'the process holding it could not be found (another user may own it)';
  return [
    `npm start: port ${err.port} (${err.purpose}) is already in use on 127.0.0.1.`,
    `  ${who}.`,
    '  To run beside it on other ports:',
    '    npm start -- --free-ports        every emulator on a free port (printed when the stack is ready)',
    '  or change the ports in firebase.json ("emulators": hub, logging, firestore with websocketPort, auth, functions, eventarc, tasks).',
  ].join('\n');
}
