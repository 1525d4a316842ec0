import { syncCalEventTypes as contract } from '@zhengrowth/model';
import { syncCalEventTypes as handler } from '../coaching/cal-sync.js';
import { validatedOnCall } from '../core/callable.js';
import { calSyncDeps, CAL_SYNC_SECRETS } from './cal-config.js';

/** `syncCalEventTypes`: Cal.com's event types into cal_event_types now, as the daily sync does (admins). */
export const syncCalEventTypes = validatedOnCall(contract, handler, { cors: true, secrets: CAL_SYNC_SECRETS, timeoutSeconds: 60 }, calSyncDeps);
