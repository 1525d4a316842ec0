import { ensureProfile as contract } from '@zhengrowth/model';
import { accountDeps } from '../accounts/deps.js';
import { ensureProfileHandler } from '../accounts/ensure.js';
import { validatedOnCall } from '../core/callable.js';
import { ACCOUNT_CALLABLE } from './accounts-config.js';

/** `ensureProfile`: after every sign-in, create or repair the caller's profile, link guest records, sync the roles claim. */
export const ensureProfile = validatedOnCall(contract, ensureProfileHandler, ACCOUNT_CALLABLE, accountDeps);
