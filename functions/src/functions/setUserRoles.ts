import { setUserRoles as contract } from '@zhengrowth/model';
import { accountDeps } from '../accounts/deps.js';
import { setUserRolesHandler } from '../accounts/set-roles.js';
import { validatedOnCall } from '../core/callable.js';
import { ACCOUNT_CALLABLE } from './accounts-config.js';

/** `setUserRoles` (admins): roles claim, users/{uid}.roles and role_grants together, audited; refresh tokens revoked. */
export const setUserRoles = validatedOnCall(contract, setUserRolesHandler, ACCOUNT_CALLABLE, accountDeps);
