import { z } from 'zod';
import { SOCIAL_PLATFORMS, type SocialPlatform } from '@zhengrowth/model';
import { defaultDeps } from '../core/deps.js';
import { parseKeyring, type Keyring } from './crypto.js';
import type { SocialDeps } from './deps.js';
import { platforms } from './platforms/index.js';

export interface SocialConfig {
  clientId: (p: SocialPlatform) => string;
  clientSecret: (p: SocialPlatform) => string;
  tokenKeys: () => string;
  redirectUri: () => string;
  returnUrl: () => string;
  origins: () => string;
}

export const DEFAULT_ORIGINS: Record<SocialPlatform, { auth: string; api: string }> = {
  linkedin: { auth: 'https://www.linkedin.com', api: 'https://api.linkedin.com' },
  x: { auth: 'https://x.com', api: 'https://api.x.com' },
};

const originsOverride = z.partialRecord(z.enum(SOCIAL_PLATFORMS), z.strictObject({ auth: z.url(), api: z.url() }));

/** The platforms' origins, with the SOCIAL_API_ORIGINS overrides on top; a malformed override is a deploy error. */
export function originsOf(json: string): Record<SocialPlatform, { auth: string; api: string }> {
  if (!json.trim()) return DEFAULT_ORIGINS;
  const parsed = originsOverride.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`SOCIAL_API_ORIGINS: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return { ...DEFAULT_ORIGINS, ...parsed.data };
}

export const PLATFORM_TIMEOUT_MS = 20_000;

/** SocialDeps from the functions' secrets and parameters, read when a request or a run comes in. */
export function socialDeps(config: SocialConfig): SocialDeps {
  const origins = originsOf(config.origins());
  let keyring: Keyring | undefined;
  return {
    ...defaultDeps(),
    platforms: platforms((p) => {
      const clientId = config.clientId(p);
      if (!clientId) throw new Error(`the ${p} client id is not configured`);
      return { clientId, clientSecret: config.clientSecret(p), authOrigin: origins[p].auth, apiOrigin: origins[p].api, timeoutMs: PLATFORM_TIMEOUT_MS };
    }),
    keyring: () => (keyring ??= parseKeyring(config.tokenKeys())),
    oauth: { redirectUri: config.redirectUri(), returnUrl: config.returnUrl() },
    publisher: { leaseSeconds: 300, maxAttempts: 5 },
  };
}
