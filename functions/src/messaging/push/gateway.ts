/**
 * The way out to the browsers' push services: the `web-push` library encrypts the payload
 * (aes128gcm, RFC 8291) for the subscription's keys and signs the VAPID JWT (RFC 8292); the request
 * it describes is sent with fetch, which gives it a deadline. 201 (or any 2xx) is accepted; 404
 * and 410 mean the subscription is gone for good; anything else is a failure worth one retry.
 */

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface PushMessage {
  title: string;
  body: string;
  url: string | null;
  /** The inbox item or broadcast: the browser shows one notification per tag. */
  tag: string;
  lang: string | null;
}

export interface PushOptions {
  /** Push services replace an undelivered message of the same topic (max 32 base64url characters). */
  topic: string;
  /** Seconds the push service keeps it for an offline browser. */
  ttlSeconds: number;
}

export type PushResult = { kind: 'sent'; status: number } | { kind: 'gone'; status: number } | { kind: 'failed'; status: number | null; message: string };

export interface PushGateway {
  send(target: PushTarget, message: PushMessage, options: PushOptions): Promise<PushResult>;
}

export interface VapidConfig {
  publicKey: string;
  privateKey: string;
  /** mailto: or https: contact of the sender (VAPID_SUBJECT). */
  subject: string;
  timeoutMs?: number;
}

export function webPushGateway(config: VapidConfig): PushGateway {
  if (!config.publicKey || !config.privateKey) throw new Error('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY are not configured');
  const vapidDetails = { subject: config.subject, publicKey: config.publicKey, privateKey: config.privateKey };
  return {
    async send(target, message, options) {
      // The SDK on first use: functions that import this module for its types never load it.
      const { default: webpush } = await import('web-push');
      const details = webpush.generateRequestDetails(
        { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
        JSON.stringify(message),
        {
          vapidDetails,
          TTL: options.ttlSeconds,
          topic: options.topic,
          urgency: 'normal',
          contentEncoding: 'aes128gcm',
        },
      );
      try {
        const res = await fetch(details.endpoint, {
          method: details.method,
          headers: details.headers as Record<string, string>,
          body: details.body,
          signal: AbortSignal.timeout(config.timeoutMs ?? 10_000),
        });
        const text = await res.text().catch(() => '');
        if (res.ok) return { kind: 'sent', status: res.status };
        if (res.status === 404 || res.status === 410) return { kind: 'gone', status: res.status };
        return { kind: 'failed', status: res.status, message: `${res.status} ${text.slice(0, 200)}` };
      } catch (err) {
        return { kind: 'failed', status: null, message: err instanceof Error ? `${err.name}: ${err.message}` : 'no answer' };
      }
    },
  };
}
