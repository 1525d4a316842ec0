import { assignCoach as contract } from '@zhengrowth/model';
import { assignCoachHandler } from '../accounts/coach.js';
import { accountDeps } from '../accounts/deps.js';
import { validatedOnCall } from '../core/callable.js';
import { ACCOUNT_CALLABLE } from './accounts-config.js';

/** `assignCoach` (admins): a client's coach, for their new Cal.com sessions. */
export const assignCoach = validatedOnCall(contract, assignCoachHandler, ACCOUNT_CALLABLE, accountDeps);
