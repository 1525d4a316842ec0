import { deleteMyAccount as contract } from '@zhengrowth/model';
import { deleteMyAccountHandler } from '../accounts/deletion/callables.js';
import { accountDeps } from '../accounts/deps.js';
import { validatedOnCall } from '../core/callable.js';

/** `deleteMyAccount`: the caller's account goes (a sign-in within 5 minutes required); accounting records stay under a tombstone id. */
export const deleteMyAccount = validatedOnCall(contract, deleteMyAccountHandler, { cors: true, timeoutSeconds: 540, memory: '512MiB' }, accountDeps);
