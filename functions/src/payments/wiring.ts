import { defaultDeps } from '../core/deps.js';
import { bounded, CHECKOUT_TTL_BOUNDS } from '../core/params.js';
import { linkSigner } from '../shared/links.js';
import type { PaymentDeps } from './deps.js';
import { isValidPercent } from './money.js';
import { airwallexGateway, stripeGateway, type AirwallexGateway, type StripeGateway } from './providers.js';

export interface PaymentConfig {
  stripeSecretKey: () => string;
  stripeApiBase: () => string;
  airwallexApiBase: () => string;
  airwallexClientId: () => string;
  airwallexApiKey: () => string;
  taxRatePercent: () => string;
  checkoutTtlMinutes: () => number;
  redirectOrigins: () => string;
  guestLinkSecret: () => string;
  appUrl: () => string;
}

/** "https://zhengrowth.com, http://localhost:5173" → their normalized origins; a malformed entry is a deploy error. */
export function parseOrigins(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const u = new URL(s);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`CHECKOUT_REDIRECT_ORIGINS: ${s} is not an http(s) origin`);
      return u.origin;
    });
}

/** PaymentDeps from the functions' secrets and parameters, read when a request comes in. */
export function paymentDeps(config: PaymentConfig): PaymentDeps {
  const base = defaultDeps();
  let stripe: StripeGateway | undefined;
  let airwallex: AirwallexGateway | undefined;
  const tax = config.taxRatePercent();
  if (!isValidPercent(tax)) throw new Error(`TAX_RATE_PERCENT ${JSON.stringify(tax)} is not a percentage`);
  return {
    ...base,
    stripe: () => (stripe ??= stripeGateway({ secretKey: config.stripeSecretKey(), apiBase: config.stripeApiBase() })),
    airwallex: () =>
      (airwallex ??= airwallexGateway({
        apiBase: config.airwallexApiBase(),
        clientId: config.airwallexClientId(),
        apiKey: config.airwallexApiKey(),
        now: base.now,
      })),
    taxRatePercent: tax,
    checkoutTtlMinutes: bounded('CHECKOUT_TTL_MINUTES', config.checkoutTtlMinutes(), CHECKOUT_TTL_BOUNDS),
    redirectOrigins: parseOrigins(config.redirectOrigins()),
    links: linkSigner(config.guestLinkSecret()),
    appUrl: new URL(config.appUrl()).toString().replace(/\/+$/, ''),
  };
}
