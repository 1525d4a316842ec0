import { health as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';
import { checkHealth } from '../health/check.js';

/** `health`: the web app (and `npm start`) call it to see that the backend is up. */
export const health = validatedOnCall(contract, checkHealth, { cors: true, timeoutSeconds: 10 }, defaultDeps);
