import type { Deps } from '../core/deps.js';
import type { LinkSigner } from '../shared/links.js';
import type { AirwallexGateway, StripeGateway } from './providers.js';

/** What checkout and refunds need beyond Firestore and a clock: the providers and the pricing policy. */
export interface PaymentDeps extends Deps {
  /** Built on first use: the secrets are only there at run time. */
  stripe: () => StripeGateway;
  airwallex: () => AirwallexGateway;
  /** Tax added on top of the discounted subtotal, as an exact percentage ("0", "8.25"). */
  taxRatePercent: string;
  /** How long a checkout holds seats and a coupon use before the provider session expires (30 to 1440). */
  checkoutTtlMinutes: number;
  /** Origins (scheme://host[:port]) that success and cancel URLs may point at. */
  redirectOrigins: readonly string[];
  /** Signs the manage links and check-in tokens of confirmation e-mails (GUEST_LINK_SECRET). */
  links: LinkSigner;
  /** The web app's base URL (PUBLIC_APP_URL): manage links and waitlist checkout returns point there. */
  appUrl: string;
}
