import * as functionsV1 from 'firebase-functions/v1';
import { accountDeps } from '../accounts/deps.js';
import { onAuthUserCreated as handler } from '../accounts/triggers.js';
import { FUNCTIONS_REGION } from '../core/params.js';
import { MAX_INSTANCES } from '../core/instances.js';

/**
 * `onAuthUserCreated` (v1 Auth trigger: v2 has none without Identity Platform): every new account,
 * whatever the provider, gets its profile, client role, grant and roles claim. Retried on failure.
 */
export const onAuthUserCreated = functionsV1
  .region(FUNCTIONS_REGION)
  .runWith({ failurePolicy: true, timeoutSeconds: 60, memory: '256MB', maxInstances: MAX_INSTANCES.trigger })
  .auth.user()
  .onCreate(async (user) => {
    await handler(user, accountDeps());
  });
