import { onRequest, type HttpsOptions } from 'firebase-functions/v2/https';
import { defaultDeps } from './deps.js';
import { MAX_INSTANCES } from './instances.js';
import { boundedParam, LEDGER_RETENTION_BOUNDS, WEBHOOK_LEDGER_RETENTION_DAYS } from './params.js';
import { runWebhook, type WebhookDeps, type WebhookRequest, type WebhookResponse } from './webhook-delivery.js';

/**
 * An HTTPS webhook endpoint over a plain handler: POST only, the raw body handed over untouched
 * (signatures are over its bytes), the handler's answer sent as JSON. `secret` is read per request.
 */
export function webhookOnRequest(
  name: string,
  options: HttpsOptions,
  handler: (req: WebhookRequest, deps: WebhookDeps) => Promise<WebhookResponse>,
  secret: () => string,
) {
  return onRequest({ maxInstances: MAX_INSTANCES.webhook, ...options }, async (req, res) => {
    if (req.method !== 'POST') {
      res.status(405).set('allow', 'POST').json({ received: false, error: 'POST only' });
      return;
    }
    const request: WebhookRequest = {
      rawBody: Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.alloc(0),
      header: (h) => req.get(h) ?? undefined,
    };
    const ledgerRetentionDays = boundedParam(WEBHOOK_LEDGER_RETENTION_DAYS, LEDGER_RETENTION_BOUNDS);
    const result = await runWebhook(name, handler, request, { ...defaultDeps(), secret: secret(), ledgerRetentionDays });
    res.status(result.status).json(result.body);
  });
}
