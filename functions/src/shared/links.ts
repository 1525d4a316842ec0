/**
 * Signed links that work without signing in: the manage link of a confirmation e-mail (view,
 * cancel), the check-in QR token of a ticket and the link that confirms a lead's address. A token names what it is for and the records it
 * opens, with an expiry, under an HMAC-SHA256 of GUEST_LINK_SECRET; nothing is stored, and a token
 * for one purpose never opens another. Holding the link is the proof: it was sent to the address.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';

export type LinkPurpose = 'manage' | 'checkin' | 'lead-confirm';

/** What a token opens: an event registration (event and registration id), an order, or a lead's address (lead and consent id). */
export interface LinkSubject {
  eventId?: string;
  registrationId?: string;
  orderId?: string;
  leadId?: string;
  consentId?: string;
}

const payload = z.strictObject({
  e: z.string().optional(),
  r: z.string().optional(),
  o: z.string().optional(),
  l: z.string().optional(),
  c: z.string().optional(),
  x: z.int(),
});

/** How long a link works: long enough for an event months ahead, and a receipt looked up later. */
export const LINK_LIFETIME_DAYS = 400;

export interface LinkSigner {
  sign(purpose: LinkPurpose, subject: LinkSubject, now: Date): string;
  /** The subject of a valid, unexpired token for this purpose; otherwise permission-denied. */
  verify(purpose: LinkPurpose, token: string, now: Date): LinkSubject;
}

const b64 = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

export function linkSigner(secret: string): LinkSigner {
  const mac = (purpose: LinkPurpose, body: string): Buffer => createHmac('sha256', secret).update(`zg-link-v1\u0000${purpose}\u0000${body}`).digest();
  return {
    sign(purpose, subject, now) {
      if (!secret) throw new Error('GUEST_LINK_SECRET is not set');
      const body = b64(
        JSON.stringify({
          e: subject.eventId,
          r: subject.registrationId,
          o: subject.orderId,
          l: subject.leadId,
          c: subject.consentId,
          x: Math.floor(now.getTime() / 1000) + LINK_LIFETIME_DAYS * 86_400,
        }),
      );
      return `${body}.${b64(mac(purpose, body))}`;
    },
    verify(purpose, token, now) {
      const refuse = (why: string): never => {
        throw new HttpsError('permission-denied', `this link is not valid (${why})`);
      };
      if (!secret) throw new Error('GUEST_LINK_SECRET is not set');
      const [body, sig, ...rest] = token.split('.');
      if (!body || !sig || rest.length) return refuse('malformed');
      const given = Buffer.from(sig, 'base64url');
      const expected = mac(purpose, body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse('bad signature');
      let parsed: z.infer<typeof payload>;
      try {
        parsed = payload.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      } catch {
        return refuse('malformed');
      }
      if (parsed.x * 1000 <= now.getTime()) return refuse('expired');
      return { eventId: parsed.e, registrationId: parsed.r, orderId: parsed.o, leadId: parsed.l, consentId: parsed.c };
    },
  };
}

/** The app page that opens a manage token. */
export function manageUrl(appUrl: string, token: string): string {
  return `${appUrl.replace(/\/+$/, '')}/manage?token=${encodeURIComponent(token)}`;
}

/** The app page that confirms a lead's address (it calls `confirmLeadEmail` with the token). */
export function leadConfirmUrl(appUrl: string, token: string): string {
  return `${appUrl.replace(/\/+$/, '')}/confirm-email?token=${encodeURIComponent(token)}`;
}
