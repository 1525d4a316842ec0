import { listMyClients as contract } from '@zhengrowth/model';
import { listMyClients as handler } from '../coaching/clients.js';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';

/** `listMyClients`: the calling coach's assigned clients with their next and last session, open goals and action items (staff). */
export const listMyClients = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 30 }, defaultDeps);
