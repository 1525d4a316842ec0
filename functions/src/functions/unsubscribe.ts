import { logger } from 'firebase-functions/logger';
import { onRequest } from 'firebase-functions/v2/https';
import { defaultDeps } from '../core/deps.js';
import { handleUnsubscribe } from '../messaging/email/unsubscribe.js';
import { UNSUBSCRIBE_SECRET } from '../core/params.js';
import { MAX_INSTANCES } from '../core/instances.js';

/** `unsubscribe`: the link and one-click List-Unsubscribe-Post target of marketing e-mails (a signed token). */
export const unsubscribe = onRequest(
  { invoker: 'public', maxInstances: MAX_INSTANCES.public, timeoutSeconds: 30, memory: '256MiB', secrets: [UNSUBSCRIBE_SECRET] },
  async (req, res) => {
    const body = req.body as Record<string, unknown> | undefined;
    const token = typeof req.query.token === 'string' ? req.query.token : typeof body?.token === 'string' ? body.token : undefined;
    res.set('content-type', 'text/html; charset=utf-8').set('cache-control', 'no-store');
    try {
      const result = await handleUnsubscribe({ method: req.method, token }, { ...defaultDeps(), secret: UNSUBSCRIBE_SECRET.value() });
      res.status(result.status).send(result.html);
    } catch (err) {
      logger.error('unsubscribe failed', { error: err instanceof Error ? err.name : typeof err });
      res.status(500).send('<!doctype html><p>Something went wrong; please try the link again later.</p>');
    }
  },
);
