import { z } from 'zod';
import type { Caller } from '../core/context.js';
import type { Deps } from '../core/deps.js';

export const healthInput = z.strictObject({}).default({});

export interface HealthReport {
  ok: true;
  service: 'zhengrowth-functions';
  time: string;
  /** Whether the caller is signed in, and with which roles (handy when wiring the web app). */
  caller: { uid: string; roles: string[] } | null;
  firestore: 'reachable';
}

/** A cheap liveness check that proves the function can reach Firestore. */
export async function checkHealth(_input: z.infer<typeof healthInput>, caller: Caller | null, deps: Deps): Promise<HealthReport> {
  await deps.db.listCollections();
  return {
    ok: true,
    service: 'zhengrowth-functions',
    time: deps.now().toISOString(),
    caller: caller ? { uid: caller.uid, roles: caller.roles } : null,
    firestore: 'reachable',
  };
}
