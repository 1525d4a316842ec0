import { exportMyData as contract } from '@zhengrowth/model';
import { exportMyDataHandler } from '../accounts/export.js';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';

/** `exportMyData`: everything held about the caller, as one JSON document; one export an hour. */
export const exportMyData = validatedOnCall(
  contract,
  exportMyDataHandler,
  { cors: true, timeoutSeconds: 300, memory: '512MiB', rateLimit: { uid: { max: 1, per_seconds: 3600 } } },
  defaultDeps,
);
