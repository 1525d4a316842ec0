/** What the Cal.com event type sync reads of the params (core/params.ts). */
import { defaultDeps } from '../core/deps.js';
import { CAL_API_BASE, CAL_API_KEY } from '../core/params.js';
import type { CalSyncDeps } from '../coaching/cal-sync.js';

/** The one secret the sync holds. */
export const CAL_SYNC_SECRETS = [CAL_API_KEY];

export function calSyncDeps(): CalSyncDeps {
  return { ...defaultDeps(), cal: { baseUrl: CAL_API_BASE.value(), apiKey: CAL_API_KEY.value() } };
}
