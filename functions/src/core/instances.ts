/**
 * How far each kind of function may scale: a cost ceiling under abuse, chosen for what the function
 * is rather than one number for all. The frames apply it (callables by their contract's access,
 * webhooks); schedules and the public HTTP endpoints name it in their wiring; a function may ask
 * for less. The deploy manifest test holds every endpoint to it.
 */
import type { CallableContract } from '@zhengrowth/model';

export const MAX_INSTANCES = {
  /** Anyone may call: limited per IP as well; a flood queues instead of scaling our bill. */
  public: 10,
  /** Members' everyday calls. */
  'signed-in': 20,
  /** Coaches' and admins' screens: a handful of people. */
  staff: 5,
  admin: 3,
  /** Providers retry what is refused or slow: their deliveries queue. */
  webhook: 10,
  /** One run at a time: the work is claimed (leases), a second instance would only wait. */
  schedule: 1,
  /** Firestore and Auth triggers follow the writes (the global default). */
  trigger: 20,
} as const satisfies Record<CallableContract['access'] | 'webhook' | 'schedule' | 'trigger', number>;
