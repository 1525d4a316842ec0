import type { health } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import type { Deps } from '../core/deps.js';

/** A cheap liveness check that proves the function can reach Firestore. */
export const checkHealth: CallableHandler<typeof health, Deps> = async (_input, caller, deps) => {
  await deps.db.listCollections();
  return {
    ok: true,
    service: 'zhengrowth-functions',
    time: deps.now().toISOString(),
    caller: caller ? { uid: caller.uid, roles: caller.roles } : null,
    firestore: 'reachable',
  };
};
