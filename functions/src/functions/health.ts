import { validatedOnCall } from '../core/callable.js';
import { checkHealth, healthInput } from '../health/check.js';

/** `health`: the web app (and `npm start`) call it to see that the backend is up. */
export const health = validatedOnCall('health', healthInput, checkHealth, { cors: true });
