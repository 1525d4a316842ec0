import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandInProxy, type StandInProxy } from '../src/standin-proxy.js';

describe('the stand-in proxy', () => {
  let proxy: StandInProxy;
  let target: http.Server;
  beforeAll(async () => {
    proxy = await startStandInProxy();
    target = http.createServer((req, res) => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url })));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await proxy?.stop();
    await new Promise((resolve) => target?.close(resolve));
  });

  it('answers a service nobody routes as a throttling provider (429, an hour’s retry-after, Resend’s error shape), so callers queue instead of waiting', async () => {
    const res = await fetch(`${proxy.origin}/resend/emails`, { method: 'POST', body: '{}' });
    expect([res.status, res.headers.get('retry-after')]).toEqual([429, '3600']);
    expect(await res.json()).toMatchObject({ statusCode: 429, name: 'rate_limit_exceeded' });
  });

  it('relays a routed service to its stand-in until it is unrouted', async () => {
    const route = `${proxy.origin}/__standin/routes/resend`;
    await fetch(route, { method: 'PUT', body: JSON.stringify({ target: `http://127.0.0.1:${(target.address() as AddressInfo).port}/` }) });
    const res = await fetch(`${proxy.origin}/resend/emails`, { method: 'POST', body: '{}' });
    expect([res.status, await res.json()]).toEqual([201, { path: '/emails' }]);
    await fetch(route, { method: 'DELETE' });
    expect((await fetch(`${proxy.origin}/resend/emails`, { method: 'POST', body: '{}' })).status).toBe(429);
  });
});
