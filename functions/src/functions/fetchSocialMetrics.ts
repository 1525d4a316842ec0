import { onSchedule } from 'firebase-functions/v2/scheduler';
import { fetchSocialMetrics as handler } from '../social/metrics.js';
import { socialDeps } from '../social/wiring.js';
import { SOCIAL_SECRETS, socialConfig } from './social-config.js';
import { MAX_INSTANCES } from '../core/instances.js';

/** `fetchSocialMetrics` (daily, 04:00 UTC): the metrics of posts published in the last 30 days, one snapshot per post and day. */
export const fetchSocialMetrics = onSchedule(
  { schedule: 'every day 04:00', timeZone: 'Etc/UTC', maxInstances: MAX_INSTANCES.schedule, timeoutSeconds: 540, retryCount: 0, secrets: SOCIAL_SECRETS },
  async () => {
    await handler(socialDeps(socialConfig));
  },
);
