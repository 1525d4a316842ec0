/**
 * Stand-ins for LinkedIn and X: their OAuth token endpoints, the profile endpoint, publishing,
 * the timeline lookup (X) and metrics, with the checks the real ones make that matter here (client
 * credentials, PKCE, bearer tokens, refresh tokens that X rotates, X's duplicate-content refusal).
 * Tests can make the next call of a route fail, and read every request as sent.
 */
import { createHash } from 'node:crypto';
import { standIn, type Recorded, type Reply, type StandIn } from './standin.js';

export const CLIENTS = {
  linkedin: { clientId: 'li-client-id', clientSecret: 'li-client-secret' },
  x: { clientId: 'x-client-id', clientSecret: 'x-client-secret' },
};

export type Route = 'token' | 'refresh' | 'me' | 'publish' | 'lookup' | 'metrics';

export interface PlatformStandIn extends StandIn {
  /** Replies for the next calls of a route, in order (then the normal behaviour). */
  failNext(route: Route, ...replies: Reply[]): void;
  /** This reply to every call that carries this token (a refresh token, or an access token as bearer) until cleared with null. */
  failFor(token: string, reply: Reply | null): void;
  /** What the user approves on the platform: a code for this profile (X: bound to the PKCE challenge). */
  authorize(profile: { id: string; username?: string; name?: string }, codeChallenge?: string): string;
  /** Tokens issued outside an OAuth flow (tests that seed accounts directly). */
  issue(profileId: string, opts?: { expiresIn?: number; refresh?: boolean }): { access: string; refresh: string | null };
  /** Posts the platform accepted (publish requests that succeeded). */
  posts: Array<{ id: string; author: string; text: string; at: Date }>;
  /** Requests of one route. */
  calls(route: Route): Recorded[];
  revoke(token: string): void;
}

interface Session {
  profile: { id: string; username?: string; name?: string };
  challenge?: string;
}

function routeOf(platform: 'linkedin' | 'x', r: Recorded): Route | null {
  const p = r.path;
  if (platform === 'linkedin') {
    if (p === '/oauth/v2/accessToken') return r.form.grant_type === 'refresh_token' ? 'refresh' : 'token';
    if (p === '/v2/userinfo') return 'me';
    if (p === '/rest/posts' && r.method === 'POST') return 'publish';
    if (p.startsWith('/rest/socialActions/')) return 'metrics';
    return null;
  }
  if (p === '/2/oauth2/token') return r.form.grant_type === 'refresh_token' ? 'refresh' : 'token';
  if (p === '/2/users/me') return 'me';
  if (p === '/2/tweets' && r.method === 'POST') return 'publish';
  if (/^\/2\/users\/[^/]+\/tweets$/.test(p)) return 'lookup';
  if (/^\/2\/tweets\/[^/]+$/.test(p)) return 'metrics';
  return null;
}

const s256 = (v: string): string => createHash('sha256').update(v).digest('base64url');

export async function platformStandIn(platform: 'linkedin' | 'x'): Promise<PlatformStandIn> {
  const failures = new Map<Route, Reply[]>();
  const byToken = new Map<string, Reply>();
  const codes = new Map<string, Session>();
  const access = new Map<string, string>(); // token → profile id
  const refresh = new Map<string, string>();
  const posts: PlatformStandIn['posts'] = [];
  let n = 0;
  const client = CLIENTS[platform];

  const grant = (profileId: string, withRefresh = true, expiresIn = platform === 'x' ? 7200 : 5_184_000) => {
    const a = `${platform}-access-${++n}`;
    access.set(a, profileId);
    const body: Record<string, unknown> = {
      access_token: a,
      expires_in: expiresIn,
      token_type: 'bearer',
      scope: platform === 'x' ? 'tweet.read tweet.write users.read offline.access' : 'openid,profile,w_member_social',
    };
    if (withRefresh) {
      const r = `${platform}-refresh-${++n}`;
      refresh.set(r, profileId);
      body.refresh_token = r;
    }
    return body;
  };

  const clientOk = (r: Recorded): boolean =>
    platform === 'x'
      ? r.headers.authorization === `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`
      : r.form.client_id === client.clientId && r.form.client_secret === client.clientSecret;

  const who = (r: Recorded): string | null => {
    const m = /^Bearer (.+)$/.exec(String(r.headers.authorization ?? ''));
    return m?.[1] ? (access.get(m[1]) ?? null) : null;
  };

  const tokenRoute = (r: Recorded, route: Route): Reply => {
    if (!clientOk(r)) return { status: 401, body: { error: 'invalid_client' } };
    if (route === 'refresh') {
      const profileId = refresh.get(r.form.refresh_token ?? '');
      if (!profileId) return { status: 400, body: { error: 'invalid_grant', error_description: 'refresh token is invalid' } };
      if (platform === 'x') refresh.delete(r.form.refresh_token ?? ''); // X rotates refresh tokens
      return { status: 200, body: grant(profileId) };
    }
    const session = codes.get(r.form.code ?? '');
    if (!session) return { status: 400, body: { error: 'invalid_grant' } };
    codes.delete(r.form.code ?? '');
    if (platform === 'x' && s256(r.form.code_verifier ?? '') !== session.challenge)
      return { status: 400, body: { error: 'invalid_request', error_description: 'PKCE' } };
    return { status: 200, body: grant(session.profile.id) };
  };

  const profiles = new Map<string, Session['profile']>();

  const handle = (r: Recorded): Reply => {
    const route = routeOf(platform, r);
    if (!route) return { status: 404, body: { message: `no route ${r.method} ${r.path}` } };
    const failure = failures.get(route)?.shift();
    if (failure) return failure;
    const carried = route === 'refresh' ? r.form.refresh_token : /^Bearer (.+)$/.exec(String(r.headers.authorization ?? ''))?.[1];
    const tokenFailure = carried ? byToken.get(carried) : undefined;
    if (tokenFailure) return tokenFailure;
    if (route === 'token' || route === 'refresh') return tokenRoute(r, route);
    const me = who(r);
    if (!me) return { status: 401, body: { message: 'invalid token' } };
    if (platform === 'linkedin' && route !== 'me' && r.headers['linkedin-version'] === undefined)
      return { status: 426, body: { message: 'LinkedIn-Version required' } };
    const profile = profiles.get(me) ?? { id: me };
    switch (route) {
      case 'me':
        return platform === 'x'
          ? { status: 200, body: { data: { id: profile.id, username: profile.username ?? 'user', name: profile.name ?? 'User' } } }
          : { status: 200, body: { sub: profile.id, name: profile.name ?? 'User' } };
      case 'publish': {
        const text = platform === 'x' ? String((r.json as { text?: unknown }).text) : String((r.json as { commentary?: unknown }).commentary);
        if (platform === 'x' && posts.some((p) => p.author === me && p.text === text)) {
          return { status: 403, body: { detail: 'You are not allowed to create a Tweet with duplicate content.', status: 403, title: 'Forbidden' } };
        }
        const id = platform === 'x' ? String(1_800_000_000_000_000 + ++n) : `urn:li:share:${7_000_000 + ++n}`;
        posts.push({ id, author: me, text, at: new Date() });
        return platform === 'x' ? { status: 201, body: { data: { id, text } } } : { status: 201, body: '', headers: { 'x-restli-id': id } };
      }
      case 'lookup': {
        const since = Date.parse(r.query.get('start_time') ?? '1970-01-01T00:00:00Z');
        const mine = posts.filter((p) => p.author === me && p.at.getTime() >= since).map((p) => ({ id: p.id, text: p.text, created_at: p.at.toISOString() }));
        return { status: 200, body: mine.length ? { data: mine, meta: { result_count: mine.length } } : { meta: { result_count: 0 } } };
      }
      case 'metrics': {
        const id = decodeURIComponent(r.path.split('/').pop() ?? '');
        const i = posts.findIndex((p) => p.id === id) + 1;
        return platform === 'x'
          ? {
              status: 200,
              body: {
                data: {
                  id,
                  text: 'x',
                  public_metrics: { impression_count: 1000 * i, like_count: 10 * i, reply_count: 2 * i, retweet_count: i, quote_count: 1 },
                },
              },
            }
          : { status: 200, body: { likesSummary: { totalLikes: 7 * i }, commentsSummary: { aggregatedTotalComments: 3 * i } } };
      }
      default:
        return { status: 500, body: {} };
    }
  };

  const server = await standIn(handle);
  return Object.assign(server, {
    posts,
    failNext: (route: Route, ...replies: Reply[]) => failures.set(route, [...(failures.get(route) ?? []), ...replies]),
    failFor: (token: string, reply: Reply | null) => (reply ? byToken.set(token, reply) : byToken.delete(token)),
    authorize: (profile: Session['profile'], codeChallenge?: string) => {
      const code = `${platform}-code-${++n}`;
      profiles.set(profile.id, profile);
      codes.set(code, { profile, challenge: codeChallenge });
      return code;
    },
    issue: (profileId: string, opts: { expiresIn?: number; refresh?: boolean } = {}) => {
      const body = grant(profileId, opts.refresh ?? true, opts.expiresIn);
      return { access: String(body.access_token), refresh: typeof body.refresh_token === 'string' ? body.refresh_token : null };
    },
    calls: (route: Route) => server.requests.filter((r) => routeOf(platform, r) === route),
    revoke: (token: string) => {
      access.delete(token);
      refresh.delete(token);
    },
  });
}
