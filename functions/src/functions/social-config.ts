/**
 * Secrets and parameters of the social functions. Client ids have no default: a deploy asks for
 * them (functions/.env.demo-zhengrowth holds fake ones for the emulators). SOCIAL_API_ORIGINS
 * points the adapters at local stand-ins in tests.
 */
import { defineSecret, defineString } from 'firebase-functions/params';
import type { SocialConfig } from '../social/wiring.js';

export const LINKEDIN_CLIENT_SECRET = defineSecret('LINKEDIN_CLIENT_SECRET');
export const X_CLIENT_SECRET = defineSecret('X_CLIENT_SECRET');
/** "k2:<base64 32 bytes>,k1:<base64 32 bytes>": the first key seals new tokens, all keys open old ones. */
export const SOCIAL_TOKEN_KEYS = defineSecret('SOCIAL_TOKEN_KEYS');

export const LINKEDIN_CLIENT_ID = defineString('LINKEDIN_CLIENT_ID', { description: 'LinkedIn app client id (LinkedIn Developer Portal → Auth)' });
export const X_CLIENT_ID = defineString('X_CLIENT_ID', { description: 'X app OAuth 2.0 client id (X Developer Portal → Keys and tokens)' });
export const SOCIAL_OAUTH_REDIRECT_URL = defineString('SOCIAL_OAUTH_REDIRECT_URL', {
  description: "socialOAuthCallback's public URL, registered as the OAuth redirect URL with LinkedIn and X",
});
export const SOCIAL_CONNECT_RETURN_URL = defineString('SOCIAL_CONNECT_RETURN_URL', {
  default: 'https://zhengrowth.com/settings/social',
  description: 'The web app page the callback sends the user back to (?social=connected|cancelled|error&platform=…)',
});
export const SOCIAL_API_ORIGINS = defineString('SOCIAL_API_ORIGINS', {
  default: '',
  description: 'JSON overrides of the platforms\' origins, {"x":{"auth":"…","api":"…"}} (local stand-ins in tests); empty: the real ones',
});

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
