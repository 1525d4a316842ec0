import type { EmulatorSuite } from './emulators.js';

/**
 * Turns the functions emulator's background triggers (Firestore, scheduled) off or on, through the
 * Emulator Hub. Loading history (the demo data's migration) is no news: with the triggers on, each
 * migrated queue item and inbox notice would start a function (and a worker process) of its own.
 * Turning them on reloads the functions.
 */
export async function setBackgroundTriggers(suite: EmulatorSuite, enabled: boolean): Promise<void> {
  if (!suite.functionsOrigin) return;
  const res = await fetch(`http://${suite.hubHost}/functions/${enabled ? 'enable' : 'disable'}BackgroundTriggers`, { method: 'PUT' });
  if (!res.ok) throw new Error(`turning the functions' triggers ${enabled ? 'on' : 'off'} failed: ${res.status} ${await res.text()}`);
}
