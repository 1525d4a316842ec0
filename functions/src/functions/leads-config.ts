/** What the lead functions read of the params (core/params.ts): the link signer of the double opt-in e-mail and the app's address. */
import { defaultDeps } from '../core/deps.js';
import { GUEST_LINK_SECRET, PUBLIC_APP_URL } from '../core/params.js';
import type { LeadDeps } from '../leads/deps.js';
import { linkSigner } from '../shared/links.js';

/** The one secret the lead functions hold: the signer of confirmation links. */
export const LEAD_SECRETS = [GUEST_LINK_SECRET];

export function leadDeps(): LeadDeps {
  return { ...defaultDeps(), links: linkSigner(GUEST_LINK_SECRET.value()), appUrl: PUBLIC_APP_URL.value() };
}
