import { nudgeClient as contract } from '@zhengrowth/model';
import { nudgeClient as handler } from '../coaching/nudge.js';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';

/** `nudgeClient`: a coach's inbox nudge, pushed, to one of their own clients (staff; three a day per coach and client). */
export const nudgeClient = validatedOnCall(
  contract,
  handler,
  { cors: true, timeoutSeconds: 30, rateLimit: { uid: { max: 30, per_seconds: 3600 } } },
  defaultDeps,
);
