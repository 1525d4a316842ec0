/** Parameters and limits of the accounts functions (sign-up, roles, export, deletion). */
import { defineString } from 'firebase-functions/params';
import { accountDeps } from '../accounts/deps.js';
import type { PasswordResetDeps } from '../accounts/password-reset.js';

export const PASSWORD_RESET_CONTINUE_URL = defineString('PASSWORD_RESET_CONTINUE_URL', {
  default: '',
  description: 'Where the password-reset page sends the user afterwards (the web app’s sign-in page, on an authorized domain); empty: Firebase’s default page',
});

/** requestPasswordReset answers no sooner than this, account or not (its timing should not tell). */
const RESET_MIN_RESPONSE_MS = 400;

export function passwordResetDeps(): PasswordResetDeps {
  return { ...accountDeps(), continueUrl: PASSWORD_RESET_CONTINUE_URL.value() || undefined, minResponseMs: RESET_MIN_RESPONSE_MS };
}

/** Options of the admins' and users' account callables. */
export const ACCOUNT_CALLABLE = { cors: true, timeoutSeconds: 60 } as const;
