import { logger } from 'firebase-functions/logger';
import { onRequest } from 'firebase-functions/v2/https';
import { handleOAuthCallback } from '../social/callback.js';
import { socialDeps } from '../social/wiring.js';
import { SOCIAL_SECRETS, socialConfig } from './social-config.js';
import { MAX_INSTANCES } from '../core/instances.js';

/** `socialOAuthCallback` (HTTPS, GET): the platforms send the user back here; the account is stored and the user sent on to the app. */
export const socialOAuthCallback = onRequest(
  { invoker: 'public', maxInstances: MAX_INSTANCES.public, secrets: SOCIAL_SECRETS, timeoutSeconds: 60, memory: '256MiB' },
  async (req, res) => {
    try {
      const out = await handleOAuthCallback({ method: req.method, query: req.query }, socialDeps(socialConfig));
      res.set('cache-control', 'no-store');
      if (out.status === 302) res.redirect(302, out.location);
      else res.status(out.status).type('text/plain').send(out.text);
    } catch (err) {
      logger.error('socialOAuthCallback failed', { error: err instanceof Error ? err.message : String(err) });
      res.status(500).type('text/plain').send('Something went wrong; please try connecting again.');
    }
  },
);
