import { requestPasswordReset as contract } from '@zhengrowth/model';
import { requestPasswordResetHandler } from '../accounts/password-reset.js';
import { validatedOnCall } from '../core/callable.js';
import { passwordResetDeps } from './accounts-config.js';

/** `requestPasswordReset` (public): queue a reset e-mail if the address has an account; the same answer either way. */
export const requestPasswordReset = validatedOnCall(
  contract,
  requestPasswordResetHandler,
  { cors: true, timeoutSeconds: 30, rateLimit: { ip: { max: 10, per_seconds: 3600 } } },
  passwordResetDeps,
);
