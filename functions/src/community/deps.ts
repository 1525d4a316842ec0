import type { AccountLookupDeps } from '../core/accounts.js';

export interface CommunityDeps extends AccountLookupDeps {
  /**
   * Called at named points inside transactions (`moderation:after-content`). Production passes
   * nothing; tests throw from it to prove that a crash there leaves no half-done change.
   */
  fault?: (point: string) => void;
}
