import type { Deps } from '../core/deps.js';
import type { Keyring } from './crypto.js';
import type { Platforms } from './platforms/index.js';

export interface OAuthSettings {
  /** socialOAuthCallback's public URL, registered as the redirect URL with each platform. */
  redirectUri: string;
  /** The web app's page the callback sends the user back to (with ?social=connected|cancelled|error). */
  returnUrl: string;
}

export interface PublisherSettings {
  /** How long a run holds a post it took; another run reconciles it after that. */
  leaseSeconds: number;
  /** Attempts on temporary failures (429, 503) before the post fails. */
  maxAttempts: number;
}

/** What the social functions need beyond Firestore and a clock. */
export interface SocialDeps extends Deps {
  platforms: Platforms;
  /** The token keyring (SOCIAL_TOKEN_KEYS), parsed on first use. */
  keyring: () => Keyring;
  oauth: OAuthSettings;
  publisher: PublisherSettings;
}
