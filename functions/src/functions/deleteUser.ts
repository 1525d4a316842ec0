import { deleteUser as contract } from '@zhengrowth/model';
import { deleteUserHandler } from '../accounts/deletion/callables.js';
import { accountDeps } from '../accounts/deps.js';
import { validatedOnCall } from '../core/callable.js';

/** `deleteUser` (admins, signed in within 5 minutes): deleteMyAccount for another account. */
export const deleteUser = validatedOnCall(contract, deleteUserHandler, { cors: true, timeoutSeconds: 540, memory: '512MiB' }, accountDeps);
