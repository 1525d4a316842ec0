/** OAuth 2.0 token answers (RFC 6749 §5.1) as both platforms give them, read with zod. */
import { z } from 'zod';
import { PlatformError } from './http.js';
import type { TokenGrant } from './types.js';

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().int().positive().optional(),
  scope: z.string().optional(),
});

export function grantOf(json: unknown, now: Date, scopeSeparator: RegExp): TokenGrant {
  const t = tokenAnswer.safeParse(json);
  if (!t.success) throw new PlatformError('refused', null, 'token_answer_malformed');
  return {
    accessToken: t.data.access_token,
    refreshToken: t.data.refresh_token ?? null,
    expiresAt: t.data.expires_in ? new Date(now.getTime() + t.data.expires_in * 1000) : null,
    scopes: (t.data.scope ?? '').split(scopeSeparator).filter(Boolean),
  };
}

export function authorizeUrl(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}
