/**
 * A relay from the functions emulator to stand-ins of outside services that tests start. The
 * emulator reads a function's parameters once, when it starts (one per test run), while each test
 * file starts its own stand-in on a port of its own: so a parameter such as RESEND_API_BASE points
 * at `{proxy}/resend`, and a test file routes `resend` to its stand-in for as long as it needs it.
 * A request for a name nobody routes is answered 429 with `retry-after` of an hour, like a provider
 * that is not taking requests now, and nothing leaves the machine. Not a 503: the e-mail trigger
 * waits in place for a short retry, and the Firestore emulator delivers its events one at a time,
 * so every e-mail queued by a test that does not care about e-mail (sign-ups' welcome e-mails)
 * held up every other trigger of the run by ~10 s; a long retry-after puts the e-mail back in the
 * queue at once, as the caller's retry logic does with a provider that throttles. The body is
 * Resend's error shape (its SDK reads the status from the body).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInProxy {
  origin: string;
  stop(): Promise<void>;
}

const ROUTES = /^\/__standin\/routes\/([a-z0-9-]+)$/;
const UNROUTED_RETRY_AFTER_S = 3600;

export async function startStandInProxy(): Promise<StandInProxy> {
  const routes = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const route = ROUTES.exec(req.url ?? '');
      if (route) {
        const name = route[1] as string;
        if (req.method === 'DELETE') routes.delete(name);
        else routes.set(name, String((JSON.parse(body.toString('utf8') || '{}') as { target?: string }).target ?? '').replace(/\/+$/, ''));
        res.writeHead(204).end();
        return;
      }
      const [, name = '', ...rest] = (req.url ?? '/').split('/');
      const target = routes.get(name);
      if (!target) {
        res
          .writeHead(429, { 'content-type': 'application/json', 'retry-after': String(UNROUTED_RETRY_AFTER_S) })
          .end(JSON.stringify({ statusCode: 429, name: 'rate_limit_exceeded', message: `no stand-in is routed for "${name}" in this test run` }));
        return;
      }
      const headers = { ...req.headers };
      delete headers.host;
      delete headers['content-length'];
      fetch(`${target}/${rest.join('/')}`, {
        method: req.method,
        headers: headers as Record<string, string>,
        body: ['GET', 'HEAD'].includes(req.method ?? '') ? undefined : body,
      })
        .then(async (up) => {
          const out = Buffer.from(await up.arrayBuffer());
          const h: Record<string, string> = {};
          up.headers.forEach((v, k) => {
            if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') h[k] = v;
          });
          res.writeHead(up.status, h).end(out);
        })
        .catch((err: unknown) => {
          res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `stand-in ${name} unreachable: ${String(err)}` }));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The proxy of this test run (the global setup exports its origin as ZG_STANDIN_PROXY). */
export function standInProxyOrigin(): string {
  const origin = process.env.ZG_STANDIN_PROXY;
  if (!origin) throw new Error('No stand-in proxy in this test run: run the test through vitest (the global setup starts one).');
  return origin;
}

/** Sends the emulator's calls for `name` to `target` (a test's stand-in) until `unroute`. */
export async function routeStandIn(name: string, target: string): Promise<void> {
  const res = await fetch(`${standInProxyOrigin()}/__standin/routes/${name}`, { method: 'PUT', body: JSON.stringify({ target }) });
  if (!res.ok) throw new Error(`routing ${name} failed: ${res.status}`);
}

export async function unrouteStandIn(name: string): Promise<void> {
  await fetch(`${standInProxyOrigin()}/__standin/routes/${name}`, { method: 'DELETE' });
}
