/**
 * The `unsubscribe` endpoint of marketing e-mails. GET (the link in the e-mail) shows a page with
 * a button, so that a mail scanner that follows links unsubscribes nobody; POST (that button, or a
 * mail client's one-click List-Unsubscribe-Post, RFC 8058) unsubscribes. It suppresses marketing
 * only: receipts and password resets still go. A forged token changes nothing (400); a token used
 * again finds the address already unsubscribed and changes nothing either.
 */
import type { Deps } from '../../core/deps.js';
import { escapeHtml } from './render.js';
import { suppressionRef, writeSuppression } from './suppression.js';
import { verifyUnsubscribeToken } from './unsubscribe-token.js';
import { runTx } from '../../core/firestore.js';

export interface UnsubscribeRequest {
  method: string;
  token: string | undefined;
}

export interface UnsubscribeResponse {
  status: 200 | 400 | 405;
  outcome?: 'unsubscribed' | 'already' | 'confirm';
  html: string;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title></head>
<body style="font-family:-apple-system,'Segoe UI',Roboto,sans-serif;max-width:480px;margin:48px auto;padding:0 16px;color:#1f2933;line-height:1.6">
<h1 style="font-size:20px">${title}</h1>${body}</body></html>`;
}

/** "ann@example.com" → "a••@example.com": enough for its owner to recognise, not a leak if forwarded. */
const masked = (email: string): string => email.replace(/^(.)[^@]*/, (_m, first: string) => `${first}••`);

export async function handleUnsubscribe(req: UnsubscribeRequest, deps: Deps & { secret: string }): Promise<UnsubscribeResponse> {
  if (req.method !== 'GET' && req.method !== 'POST') return { status: 405, html: page('Not allowed', '<p>Use the link in the e-mail.</p>') };
  const claims = req.token ? verifyUnsubscribeToken(deps.secret, req.token) : null;
  if (!claims) return { status: 400, html: page('This link is not valid', '<p>Use the unsubscribe link of a ZhenGrowth e-mail as it was sent.</p>') };
  const who = escapeHtml(masked(claims.email));
  if (req.method === 'GET') {
    return {
      status: 200,
      outcome: 'confirm',
      html: page(
        'Unsubscribe from ZhenGrowth news?',
        `<p>${who} will no longer get marketing e-mails. Receipts, booking confirmations and password resets still arrive.</p>
<form method="post"><input type="hidden" name="token" value="${escapeHtml(req.token ?? '')}"><button type="submit" style="padding:10px 18px">Unsubscribe</button></form>`,
      ),
    };
  }
  const outcome = await runTx(deps.db, async (tx) => {
    if ((await tx.get(suppressionRef(deps.db, claims.email, 'marketing'))).exists) return 'already' as const;
    writeSuppression(tx, deps.db, { email: claims.email, scope: 'marketing', reason: 'unsubscribed', source: claims.queueId }, deps.now());
    return 'unsubscribed' as const;
  });
  return {
    status: 200,
    outcome,
    html: page(outcome === 'already' ? 'Already unsubscribed' : 'You are unsubscribed', `<p>${who} gets no more marketing e-mails from ZhenGrowth.</p>`),
  };
}
