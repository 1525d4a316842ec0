import { onSchedule } from 'firebase-functions/v2/scheduler';
import { publishDueSocialPosts as handler } from '../social/publisher.js';
import { socialDeps } from '../social/wiring.js';
import { SOCIAL_SECRETS, socialConfig } from './social-config.js';
import { MAX_INSTANCES } from '../core/instances.js';

/** `publishDueSocialPosts` (every 1 minutes): publish the scheduled posts that are due (a lease per post; crashes reconciled). */
export const publishDueSocialPosts = onSchedule(
  { schedule: 'every 1 minutes', timeZone: 'Etc/UTC', maxInstances: MAX_INSTANCES.schedule, timeoutSeconds: 240, retryCount: 0, secrets: SOCIAL_SECRETS },
  async () => {
    await handler(socialDeps(socialConfig));
  },
);
