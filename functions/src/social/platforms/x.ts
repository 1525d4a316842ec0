/**
 * X (Twitter) API v2: OAuth 2.0 authorization code with PKCE (confidential client: Basic auth on
 * the token endpoint; scopes tweet.read tweet.write users.read offline.access), POST /2/tweets,
 * and public_metrics for measuring.
 *
 * Reconciling: X has no idempotency key either, but an attempt whose answer was lost can be looked
 * up in the author's timeline since the attempt started (the text compared without links, which X
 * shortens), and X itself refuses a duplicate of a recent post, which ends in the same lookup.
 * Residual risk: a post that the timeline does not show yet and that X does not see as a
 * duplicate (e.g. the text was altered by X beyond its links) could be posted twice.
 */
import { z } from 'zod';
import { bearer, callPlatform, PlatformError } from './http.js';
import { authorizeUrl, grantOf } from './oauth.js';
import type { PlatformConfig, PostMetrics, PublishResult, SocialPlatformAdapter } from './types.js';

const SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'offline.access'];

const me = z.object({ data: z.object({ id: z.string().min(1), username: z.string().optional(), name: z.string().optional() }) });
const created = z.object({ data: z.object({ id: z.string().min(1), text: z.string().optional() }) });
const timeline = z.object({ data: z.array(z.object({ id: z.string(), text: z.string(), created_at: z.string().optional() })).optional() });
const tweet = z.object({
  data: z.object({
    public_metrics: z
      .object({
        impression_count: z.number().int(),
        like_count: z.number().int(),
        reply_count: z.number().int(),
        retweet_count: z.number().int(),
        quote_count: z.number().int(),
      })
      .partial(),
  }),
});

/** The text as X shows it back, minus links (t.co replaces them) and extra spaces. */
export function comparable(text: string): string {
  return text
    .replace(/https?:\/\/\S+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const resultOf = (id: string, response: unknown): PublishResult => ({
  platformPostId: id,
  url: `https://x.com/i/web/status/${id}`,
  response: { id, data: (response as { data?: unknown } | null)?.data ?? null } as PublishResult['response'],
});

export function xAdapter(config: PlatformConfig): SocialPlatformAdapter {
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`).toString('base64')}`;
  const token = (grant: URLSearchParams) =>
    callPlatform({ method: 'POST', url: `${config.apiOrigin}/2/oauth2/token`, headers: { authorization: basic }, body: grant, timeoutMs: config.timeoutMs });
  const get = (path: string, accessToken: string) =>
    callPlatform({ method: 'GET', url: `${config.apiOrigin}${path}`, headers: bearer(accessToken), timeoutMs: config.timeoutMs });
  return {
    platform: 'x',
    pkce: true,
    authorizeUrl: ({ state, redirectUri, codeChallenge }) =>
      authorizeUrl(`${config.authOrigin}/i/oauth2/authorize`, {
        response_type: 'code',
        client_id: config.clientId,
        redirect_uri: redirectUri,
        scope: SCOPES.join(' '),
        state,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      }),
    async exchangeCode({ code, redirectUri, codeVerifier }) {
      const res = await token(
        new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier, client_id: config.clientId }),
      );
      const grant = grantOf(res.json, new Date(), / +/);
      const profile = me.safeParse((await get('/2/users/me', grant.accessToken)).json);
      if (!profile.success) throw new PlatformError('refused', null, 'profile_malformed');
      return { grant, profile: { id: profile.data.data.id, username: profile.data.data.username ?? null, name: profile.data.data.name ?? null } };
    },
    async refresh(refreshToken) {
      const res = await token(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken.reveal(), client_id: config.clientId }));
      return grantOf(res.json, new Date(), / +/);
    },
    async publish({ accessToken, content }) {
      const res = await callPlatform({
        method: 'POST',
        url: `${config.apiOrigin}/2/tweets`,
        headers: bearer(accessToken.reveal()),
        body: { text: content },
        timeoutMs: config.timeoutMs,
      });
      const c = created.safeParse(res.json);
      if (!c.success) throw new PlatformError('uncertain', res.status, 'no_post_id');
      return resultOf(c.data.data.id, res.json);
    },
    async reconcile({ accessToken, author, content, since }) {
      const start = new Date(since.getTime() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const res = await get(`/2/users/${encodeURIComponent(author)}/tweets?max_results=100&tweet.fields=created_at&start_time=${start}`, accessToken.reveal());
      const list = timeline.safeParse(res.json);
      if (!list.success) return { state: 'unknown', reason: 'the timeline answer was not readable' };
      const found = (list.data.data ?? []).find((t) => comparable(t.text) === comparable(content));
      return found ? { state: 'published', result: resultOf(found.id, { data: found }) } : { state: 'absent' };
    },
    async metrics({ accessToken, platformPostId }): Promise<PostMetrics> {
      const res = await get(`/2/tweets/${encodeURIComponent(platformPostId)}?tweet.fields=public_metrics`, accessToken.reveal());
      const t = tweet.safeParse(res.json);
      if (!t.success) throw new PlatformError('refused', res.status, 'metrics_malformed');
      const m = t.data.data.public_metrics;
      const shares = m.retweet_count === undefined && m.quote_count === undefined ? null : (m.retweet_count ?? 0) + (m.quote_count ?? 0);
      return { impressions: m.impression_count ?? null, likes: m.like_count ?? null, comments: m.reply_count ?? null, shares, clicks: null };
    },
  };
}
