import { onSchedule } from 'firebase-functions/v2/scheduler';
import { sweepEmailQueue } from '../messaging/email/sweep.js';
import { emailDeps } from '../messaging/wiring.js';
import { EMAIL_SECRETS, messagingConfig } from './messaging-config.js';
import { MAX_INSTANCES } from '../core/instances.js';

/** `processEmailQueue`: every minute, send what is due (scheduled for later, waiting for a retry, left by a crashed worker). */
export const processEmailQueue = onSchedule(
  {
    schedule: 'every 1 minutes',
    timeZone: 'Etc/UTC',
    maxInstances: MAX_INSTANCES.schedule,
    secrets: EMAIL_SECRETS,
    timeoutSeconds: 120,
    memory: '256MiB',
    retryCount: 0,
  },
  async () => {
    await sweepEmailQueue(emailDeps(messagingConfig));
  },
);
