/** What the lead handlers need beyond Firestore and the clock: the signer of confirmation links and the app's address. */
import type { Deps } from '../core/deps.js';
import type { LinkSigner } from '../shared/links.js';

export interface LeadDeps extends Deps {
  /** Signs and checks the link of the double opt-in e-mail (GUEST_LINK_SECRET). */
  links: LinkSigner;
  /** The web app's origin (PUBLIC_APP_URL): the link opens its confirm page. */
  appUrl: string;
}
