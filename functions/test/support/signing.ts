/** Sign webhook bodies the way each provider does (Stripe through its own library). */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';

export function stripeSignature(body: string, secret: string, timestampSeconds = Math.floor(Date.now() / 1000)): string {
  return Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: timestampSeconds });
}

export function airwallexHeaders(body: string, secret: string, timestampMs = Date.now()): Record<string, string> {
  const ts = String(timestampMs);
  return {
    'x-timestamp': ts,
    'x-signature': createHmac('sha256', secret)
      .update(ts + body)
      .digest('hex'),
  };
}

export function calSignature(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** functions/.secret.local as KEY → value (the global setup creates it from the example when missing). */
export function localSecrets(): Record<string, string> {
  const file = path.join(repo, 'functions', '.secret.local');
  if (!fs.existsSync(file)) throw new Error('functions/.secret.local is missing: run the tests through vitest (its global setup creates it)');
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m?.[1] && m[2] !== undefined) out[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
  for (const name of ['STRIPE_WEBHOOK_SECRET', 'AIRWALLEX_WEBHOOK_SECRET', 'CAL_WEBHOOK_SECRET']) {
    if (!out[name]) throw new Error(`functions/.secret.local has no ${name}: copy the line from .secret.local.example`);
  }
  return out;
}

const fixturesDir = path.join(repo, 'functions', 'test', 'fixtures');

/**
 * A provider fixture with its placeholders filled: "{{name}}" inside strings takes the value as
 * text; a quoted "{{#name}}" becomes the bare value (a JSON number: "{{#amount}}" → 16.66).
 */
export function fixture(provider: 'stripe' | 'airwallex' | 'cal', name: string, values: Record<string, string | number>): string {
  let text = fs.readFileSync(path.join(fixturesDir, provider, `${name}.json`), 'utf8');
  text = text.replace(/"\{\{#(\w+)\}\}"/g, (_m, k: string) => {
    if (!(k in values)) throw new Error(`fixture ${provider}/${name}: no value for {{#${k}}}`);
    return String(values[k]);
  });
  text = text.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => {
    if (!(k in values)) throw new Error(`fixture ${provider}/${name}: no value for {{${k}}}`);
    return String(values[k]);
  });
  JSON.parse(text); // a fixture must stay valid JSON
  return text;
}

export function fixtureNames(provider: 'stripe' | 'airwallex' | 'cal'): string[] {
  return fs
    .readdirSync(path.join(fixturesDir, provider))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}
