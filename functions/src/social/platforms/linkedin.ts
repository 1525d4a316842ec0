/**
 * LinkedIn: "Sign In with LinkedIn using OpenID Connect" + "Share on LinkedIn" (scopes openid,
 * profile, w_member_social), the Posts API (/rest/posts) for a member's post, and socialActions for
 * its likes and comments.
 *
 * Residual risk (documented in docs/ai-social.md): LinkedIn has no idempotency key for posts, and finding
 * a member's own recent posts needs the restricted r_member_social scope. An attempt whose answer
 * was lost (a crash or a timeout after the request left) therefore cannot be reconciled: the post
 * is marked failed with "outcome unknown" for a person to check, never sent a second time.
 */
import { z } from 'zod';
import { bearer, callPlatform, PlatformError } from './http.js';
import { authorizeUrl, grantOf } from './oauth.js';
import type { PlatformConfig, PostMetrics, SocialPlatformAdapter } from './types.js';

/** The Posts API version this code speaks (LinkedIn-Version, YYYYMM). */
export const LINKEDIN_VERSION = '202505';
const SCOPES = ['openid', 'profile', 'w_member_social'];

/** Commentary is LinkedIn's "little text": its reserved characters are escaped so text stays text. */
export function littleText(text: string): string {
  return text.replace(/[\\|{}@[\]()<>#*_~]/g, (c) => `\\${c}`);
}

const restHeaders = (token: string) => ({ ...bearer(token), 'linkedin-version': LINKEDIN_VERSION, 'x-restli-protocol-version': '2.0.0' });

const userinfo = z.object({ sub: z.string().min(1), name: z.string().optional() });
const socialActions = z.object({
  likesSummary: z.object({ totalLikes: z.number().int() }).partial().optional(),
  commentsSummary: z.object({ aggregatedTotalComments: z.number().int() }).partial().optional(),
});

export function linkedinAdapter(config: PlatformConfig): SocialPlatformAdapter {
  const token = (grant: URLSearchParams) =>
    callPlatform({ method: 'POST', url: `${config.authOrigin}/oauth/v2/accessToken`, body: grant, timeoutMs: config.timeoutMs });
  const client = { client_id: config.clientId, client_secret: config.clientSecret };
  return {
    platform: 'linkedin',
    pkce: false,
    authorizeUrl: ({ state, redirectUri }) =>
      authorizeUrl(`${config.authOrigin}/oauth/v2/authorization`, {
        response_type: 'code',
        client_id: config.clientId,
        redirect_uri: redirectUri,
        state,
        scope: SCOPES.join(' '),
      }),
    async exchangeCode({ code, redirectUri }) {
      const res = await token(new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, ...client }));
      const grant = grantOf(res.json, new Date(), /[ ,]+/);
      const me = userinfo.safeParse(
        (await callPlatform({ method: 'GET', url: `${config.apiOrigin}/v2/userinfo`, headers: bearer(grant.accessToken), timeoutMs: config.timeoutMs })).json,
      );
      if (!me.success) throw new PlatformError('refused', null, 'profile_malformed');
      return { grant, profile: { id: me.data.sub, username: null, name: me.data.name ?? null } };
    },
    async refresh(refreshToken) {
      const res = await token(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken.reveal(), ...client }));
      return grantOf(res.json, new Date(), /[ ,]+/);
    },
    async publish({ accessToken, author, content }) {
      const res = await callPlatform({
        method: 'POST',
        url: `${config.apiOrigin}/rest/posts`,
        headers: restHeaders(accessToken.reveal()),
        body: {
          author: `urn:li:person:${author}`,
          commentary: littleText(content),
          visibility: 'PUBLIC',
          distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
          lifecycleState: 'PUBLISHED',
          isReshareDisabledByAuthor: false,
        },
        timeoutMs: config.timeoutMs,
      });
      const urn = res.headers.get('x-restli-id');
      if (!urn) throw new PlatformError('uncertain', res.status, 'no_post_id');
      return { platformPostId: urn, url: `https://www.linkedin.com/feed/update/${urn}/`, response: { id: urn, status: res.status } };
    },
    reconcile: () =>
      Promise.resolve({
        state: 'unknown',
        reason: 'LinkedIn has no idempotency key and no lookup of a member’s posts without r_member_social: check the account',
      }),
    async metrics({ accessToken, platformPostId }): Promise<PostMetrics> {
      const res = await callPlatform({
        method: 'GET',
        url: `${config.apiOrigin}/rest/socialActions/${encodeURIComponent(platformPostId)}`,
        headers: restHeaders(accessToken.reveal()),
        timeoutMs: config.timeoutMs,
      });
      const s = socialActions.safeParse(res.json);
      if (!s.success) throw new PlatformError('refused', res.status, 'metrics_malformed');
      return {
        impressions: null,
        likes: s.data.likesSummary?.totalLikes ?? null,
        comments: s.data.commentsSummary?.aggregatedTotalComments ?? null,
        shares: null,
        clicks: null,
      };
    },
  };
}
