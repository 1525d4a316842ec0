import { onSchedule } from 'firebase-functions/v2/scheduler';
import { rollupBlogViews as handler } from '../analytics/blog-views.js';
import { defaultDeps } from '../core/deps.js';
import { MAX_INSTANCES } from '../core/instances.js';

/** `rollupBlogViews`: every 10 minutes, the page views counted in each post's shards added to its view_count, each once. */
export const rollupBlogViews = onSchedule(
  { schedule: 'every 10 minutes', timeZone: 'Etc/UTC', maxInstances: MAX_INSTANCES.schedule, timeoutSeconds: 300, retryCount: 0 },
  async () => {
    await handler(defaultDeps());
  },
);
