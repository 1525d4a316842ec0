import { onSchedule } from 'firebase-functions/v2/scheduler';
import { refreshSocialTokens as handler } from '../social/refresh.js';
import { socialDeps } from '../social/wiring.js';
import { SOCIAL_SECRETS, socialConfig } from './social-config.js';
import { MAX_INSTANCES } from '../core/instances.js';

/** `refreshSocialTokens` (every 15 minutes): renew tokens before they expire; needs_reconnect when that fails for good. */
export const refreshSocialTokens = onSchedule(
  { schedule: 'every 15 minutes', timeZone: 'Etc/UTC', maxInstances: MAX_INSTANCES.schedule, timeoutSeconds: 240, retryCount: 0, secrets: SOCIAL_SECRETS },
  async () => {
    await handler(socialDeps(socialConfig));
  },
);
