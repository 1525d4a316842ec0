/**
 * One interface for every platform: connect (authorize URL, code exchange), keep connected
 * (refresh), publish (and find out whether an attempt whose answer was lost went through), and
 * measure. Another platform is one more file implementing it, plus its name in SOCIAL_PLATFORMS.
 */
import type { JsonValue, SocialPlatform } from '@zhengrowth/model';
import type { SealedToken } from '../sealed.js';

export interface TokenGrant {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  scopes: string[];
}

export interface PlatformProfile {
  id: string;
  username: string | null;
  name: string | null;
}

export interface PublishRequest {
  accessToken: SealedToken;
  /** The account's id on the platform (the author). */
  author: string;
  content: string;
}

export interface PublishResult {
  platformPostId: string;
  url: string | null;
  /** What the platform answered (ids, urls), kept in the post's metadata. */
  response: JsonValue;
}

/** What became of an attempt whose answer was lost (a crash, a timeout after the request left). */
export type Reconciliation = { state: 'published'; result: PublishResult } | { state: 'absent' } | { state: 'unknown'; reason: string };

export interface PostMetrics {
  impressions: number | null;
  likes: number | null;
  comments: number | null;
  shares: number | null;
  clicks: number | null;
}

export interface SocialPlatformAdapter {
  readonly platform: SocialPlatform;
  /** Whether the platform takes PKCE (X requires it; LinkedIn's web flow does not use it). */
  readonly pkce: boolean;
  authorizeUrl(p: { state: string; redirectUri: string; codeChallenge: string }): string;
  exchangeCode(p: { code: string; redirectUri: string; codeVerifier: string }): Promise<{ grant: TokenGrant; profile: PlatformProfile }>;
  refresh(refreshToken: SealedToken): Promise<TokenGrant>;
  publish(p: PublishRequest): Promise<PublishResult>;
  /** Looks for the post an earlier attempt may have made (`since`: when that attempt started). */
  reconcile(p: PublishRequest & { since: Date }): Promise<Reconciliation>;
  metrics(p: { accessToken: SealedToken; platformPostId: string }): Promise<PostMetrics>;
}

export interface PlatformConfig {
  clientId: string;
  clientSecret: string;
  /** Where the user authorizes (https://www.linkedin.com, https://x.com) and the API (https://api.linkedin.com, https://api.x.com). */
  authOrigin: string;
  apiOrigin: string;
  /** Each request is abandoned after this. */
  timeoutMs: number;
}
