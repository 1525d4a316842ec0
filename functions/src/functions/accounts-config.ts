/** What the accounts functions read of the params (core/params.ts), and their limits and options. */
import { PASSWORD_RESET_CONTINUE_URL } from '../core/params.js';
import { accountDeps } from '../accounts/deps.js';
import type { PasswordResetDeps } from '../accounts/password-reset.js';

/** requestPasswordReset answers no sooner than this, account or not (its timing should not tell). */
const RESET_MIN_RESPONSE_MS = 400;

export function passwordResetDeps(): PasswordResetDeps {
  return { ...accountDeps(), continueUrl: PASSWORD_RESET_CONTINUE_URL.value() || undefined, minResponseMs: RESET_MIN_RESPONSE_MS };
}

/** Options of the admins' and users' account callables. */
export const ACCOUNT_CALLABLE = { cors: true, timeoutSeconds: 60 } as const;
