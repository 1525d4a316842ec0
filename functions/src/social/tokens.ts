/** The server-only token documents: sealing a fresh grant, and handing sealed tokens to the adapters. */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { socialAccountTokens, type SocialAccountTokenDoc } from '@zhengrowth/model';
import { seal, type Keyring } from './crypto.js';
import type { TokenGrant } from './platforms/types.js';
import { SealedToken, tokenAad } from './sealed.js';

/** Refresh this long before the access token expires. */
export const REFRESH_MARGIN_MS = 30 * 60_000;

export function tokenRef(db: Firestore, accountId: string) {
  return db.doc(socialAccountTokens.docPath({ accountId })).withConverter(socialAccountTokens.converter);
}

/**
 * When the refresh job should look at the account: before expiry with a refresh token; at expiry
 * without one (it then needs reconnecting); never for a token that does not expire.
 */
export function refreshDueAt(grant: Pick<TokenGrant, 'expiresAt'>, hasRefreshToken: boolean): Timestamp | null {
  if (!grant.expiresAt) return null;
  return Timestamp.fromMillis(grant.expiresAt.getTime() - (hasRefreshToken ? REFRESH_MARGIN_MS : 0));
}

/** The token document for a fresh grant, sealed with the current key; a grant without a new refresh token keeps the old one. */
export function sealedGrant(
  keyring: Keyring,
  ids: { uid: string; accountId: string; platform: string },
  grant: TokenGrant,
  previousRefresh: string | null,
  now: Date,
): SocialAccountTokenDoc {
  const refresh = grant.refreshToken ? seal(keyring, grant.refreshToken, tokenAad(ids.accountId, 'refresh_token')) : previousRefresh;
  return {
    user_id: ids.uid,
    account_id: ids.accountId,
    access_token: seal(keyring, grant.accessToken, tokenAad(ids.accountId, 'access_token')),
    refresh_token: refresh,
    key_id: keyring.currentId,
    platform: ids.platform,
    token_expires_at: grant.expiresAt ? Timestamp.fromDate(grant.expiresAt) : null,
    refresh_due_at: refreshDueAt(grant, refresh !== null),
    refresh_lease_until: null,
    refresh_failures: 0,
    updated_at: Timestamp.fromDate(now),
  };
}

export interface HeldTokens {
  access: SealedToken | null;
  refresh: SealedToken | null;
  doc: SocialAccountTokenDoc;
}

export function holdTokens(keyring: Keyring, accountId: string, doc: SocialAccountTokenDoc): HeldTokens {
  return {
    access: doc.access_token ? new SealedToken(doc.access_token, keyring, tokenAad(accountId, 'access_token')) : null,
    refresh: doc.refresh_token ? new SealedToken(doc.refresh_token, keyring, tokenAad(accountId, 'refresh_token')) : null,
    doc,
  };
}

export async function readTokens(db: Firestore, keyring: Keyring, accountId: string): Promise<HeldTokens | null> {
  const doc = (await tokenRef(db, accountId).get()).data();
  return doc ? holdTokens(keyring, accountId, doc) : null;
}
