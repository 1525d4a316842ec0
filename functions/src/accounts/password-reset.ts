/**
 * requestPasswordReset: anyone may ask for a reset e-mail for an address. The answer is the same
 * whether or not the address has an account (and takes at least `minResponseMs`, so that its
 * timing says as little): only an account that exists and is enabled gets an e-mail, queued with a
 * Firebase reset link (Admin SDK generatePasswordResetLink) for the `password_reset` template. At
 * most one e-mail per account per 10 minutes: a double click or a retried call queues nothing more.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ActionCodeSettings } from 'firebase-admin/auth';
import { Timestamp } from 'firebase-admin/firestore';
import { emailQueue, users, type requestPasswordReset as contract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { queueEmail } from '../shared/outbox.js';
import { isUserNotFound, type AccountDeps } from './deps.js';
import { runTx } from '../core/firestore.js';

export interface PasswordResetDeps extends AccountDeps {
  /** Where the reset page sends the user afterwards (the web app's sign-in); Firebase's default page when absent. */
  continueUrl: string | undefined;
  /** The answer's least duration, whatever happened. */
  minResponseMs: number;
}

const WINDOW_MS = 10 * 60_000;

/** An unknown or malformed address is no account, silently. */
async function accountOf(deps: PasswordResetDeps, email: string) {
  try {
    const user = await deps.auth.getUserByEmail(email);
    return user.disabled || !user.email ? null : user;
  } catch (err) {
    if (isUserNotFound(err) || (err as { code?: unknown }).code === 'auth/invalid-email') return null;
    throw err;
  }
}

async function queueResetEmail(deps: PasswordResetDeps, email: string): Promise<void> {
  const user = await accountOf(deps, email);
  if (!user?.email) return;
  const now = deps.now();
  const settings: ActionCodeSettings | undefined = deps.continueUrl ? { url: deps.continueUrl } : undefined;
  const link = await deps.auth.generatePasswordResetLink(user.email, settings);
  // Read raw: the greeting must not fail on a profile the model would refuse.
  const profile = await deps.db.doc(users.docPath({ uid: user.uid })).get();
  const text = (field: string): string | null => {
    const v: unknown = profile.get(field);
    return typeof v === 'string' ? v : null;
  };
  const window = Math.floor(now.getTime() / WINDOW_MS);
  const emailId = `password-reset-${createHash('sha256').update(user.uid).digest('hex').slice(0, 24)}-${window}`;
  const ref = deps.db.doc(emailQueue.docPath({ emailId }));
  await runTx(deps.db, async (tx) => {
    if ((await tx.get(ref)).exists) return;
    queueEmail(
      tx,
      deps.db,
      emailId,
      {
        to: user.email as string,
        template: 'password_reset',
        subject: 'Reset your ZhenGrowth password',
        text: `Set a new password for your ZhenGrowth account: ${link}\nIf you did not ask for this, ignore this e-mail.`,
        variables: { link, name: text('name') ?? user.displayName ?? null, email: user.email as string, lang: text('lang') },
      },
      Timestamp.fromDate(now),
    );
  });
}

export const requestPasswordResetHandler: CallableHandler<typeof contract, PasswordResetDeps> = async (input, _caller, deps) => {
  const started = Date.now();
  try {
    await queueResetEmail(deps, input.email);
  } finally {
    const left = deps.minResponseMs - (Date.now() - started);
    if (left > 0) await sleep(left);
  }
  return { accepted: true };
};
