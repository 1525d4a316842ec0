import * as functionsV1 from 'firebase-functions/v1';
import { accountDeps } from '../accounts/deps.js';
import { onAuthUserDeleted as handler } from '../accounts/triggers.js';
import { FUNCTIONS_REGION } from '../core/params.js';
import { MAX_INSTANCES } from '../core/instances.js';

/**
 * `onAuthUserDeleted` (v1 Auth trigger): an account deleted anywhere (the Firebase console, the
 * Admin SDK) loses the rest of its data as deleteMyAccount's would. Retried until it finishes.
 */
export const onAuthUserDeleted = functionsV1
  .region(FUNCTIONS_REGION)
  .runWith({ failurePolicy: true, timeoutSeconds: 540, memory: '512MB', maxInstances: MAX_INSTANCES.trigger })
  .auth.user()
  .onDelete(async (user) => {
    await handler(user, accountDeps());
  });
