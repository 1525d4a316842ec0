/** What the social functions read of the params (core/params.ts), and the secrets they need at hand. */
import {
  LINKEDIN_CLIENT_ID,
  LINKEDIN_CLIENT_SECRET,
  SOCIAL_API_ORIGINS,
  SOCIAL_CONNECT_RETURN_URL,
  SOCIAL_OAUTH_REDIRECT_URL,
  SOCIAL_TOKEN_KEYS,
  X_CLIENT_ID,
  X_CLIENT_SECRET,
} from '../core/params.js';
import type { SocialConfig } from '../social/wiring.js';

export const socialConfig: SocialConfig = {
  clientId: (p) => (p === 'linkedin' ? LINKEDIN_CLIENT_ID.value() : X_CLIENT_ID.value()),
  clientSecret: (p) => (p === 'linkedin' ? LINKEDIN_CLIENT_SECRET.value() : X_CLIENT_SECRET.value()),
  tokenKeys: () => SOCIAL_TOKEN_KEYS.value(),
  redirectUri: () => SOCIAL_OAUTH_REDIRECT_URL.value(),
  returnUrl: () => SOCIAL_CONNECT_RETURN_URL.value(),
  origins: () => SOCIAL_API_ORIGINS.value(),
};

/** What every social function reads: the key ring, and the client secrets for the token and API calls. */
export const SOCIAL_SECRETS = [SOCIAL_TOKEN_KEYS, LINKEDIN_CLIENT_SECRET, X_CLIENT_SECRET];
