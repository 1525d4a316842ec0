import { listAttendees as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';
import { listAttendees as handler } from '../registrations/checkin.js';

/** `listAttendees`: staff page through an event's registrations, with registered / waitlisted / checked-in counts. */
export const listAttendees = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 30 }, defaultDeps);
