import type { Deps } from '../../core/deps.js';
import type { PushGateway } from './gateway.js';

/** What web push needs beyond Firestore and a clock. */
export interface PushDeps extends Deps {
  /** Built on first use: the VAPID keys are secrets, there only at run time. */
  push: () => PushGateway;
  /** Loopback http endpoints are accepted (the emulator and tests); production takes https push services only. */
  allowLoopbackEndpoints: boolean;
  /** How long a worker holds a push job before another may take it over. */
  leaseMs: number;
  /** Inbox items older than this when their trigger runs are not pushed (migrated history, long-delayed events). */
  freshnessMs: number;
  sleep: (ms: number) => Promise<void>;
}
