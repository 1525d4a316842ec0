import { listUsers as contract } from '@zhengrowth/model';
import { listUsersHandler } from '../accounts/list.js';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';
import { ACCOUNT_CALLABLE } from './accounts-config.js';

/** `listUsers` (admins): users by e-mail, of a role, by e-mail or name prefix, a page at a time. */
export const listUsers = validatedOnCall(contract, listUsersHandler, ACCOUNT_CALLABLE, defaultDeps);
