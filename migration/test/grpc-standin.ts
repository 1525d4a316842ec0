/**
 * A local stand-in of Firestore's production endpoint for the commit channel: a gRPC server over
 * TLS (a certificate from a test CA made with openssl) that checks what production checks before a
 * Commit — a Bearer access token it issued (through the metadata stand-in) and has not expired or
 * revoked, the `google-cloud-resource-prefix` and `x-goog-request-params` routing headers of the
 * project — answers UNAUTHENTICATED otherwise, and forwards accepted commits to the emulator.
 * Plus that metadata server stand-in, from which Application Default Credentials (google-auth-library's
 * Compute client, through GCE_METADATA_HOST) take their access tokens.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client, credentials, Metadata, Server, ServerCredentials, status, type ServiceError, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';

const COMMIT = '/google.firestore.v1.Firestore/Commit';

/** A CA and a server certificate for 127.0.0.1, made with openssl in `dir`. */
export function testCertificates(dir: string): { ca: Buffer; key: Buffer; cert: Buffer } {
  const f = (n: string): string => path.join(dir, n);
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=zg-migrate test CA');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl(
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('server.pem'),
    '-days',
    '2',
    '-extfile',
    f('san.ext'),
  );
  return { ca: fs.readFileSync(f('ca.pem')), key: fs.readFileSync(f('server.key')), cert: fs.readFileSync(f('server.pem')) };
}

export interface TokenServer {
  host: string;
  /** Tokens issued, with when they expire. */
  issued: Map<string, number>;
  close(): Promise<void>;
}

/** The GCE metadata server's token endpoint: a new token each time, valid `lifetimeSeconds`. */
export async function startMetadataServer(lifetimeSeconds: number): Promise<TokenServer> {
  const issued = new Map<string, number>();
  let n = 0;
  const server = http.createServer((req, res) => {
    if (req.headers['metadata-flavor'] !== 'Google') {
      res.writeHead(403).end();
      return;
    }
    if (req.url?.startsWith('/computeMetadata/v1/instance/service-accounts/default/token')) {
      const token = `test-token-${++n}`;
      issued.set(token, Date.now() + lifetimeSeconds * 1000);
      res.writeHead(200, { 'content-type': 'application/json', 'metadata-flavor': 'Google' });
      res.end(JSON.stringify({ access_token: token, expires_in: lifetimeSeconds, token_type: 'Bearer' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'metadata-flavor': 'Google' });
    res.end(req.url?.includes('project-id') ? 'zg-test-project' : '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, issued, close: () => new Promise((r) => server.close(() => r())) };
}

export interface FirestoreStandin {
  host: string;
  /** Each Commit received: the token it carried and whether it was accepted. */
  commits: Array<{ token: string; accepted: boolean; prefix: string; params: string }>;
  /** Refuse every token from now on (a revoked credential). */
  revokeAll(): void;
  /** Refuse every token after this many accepted commits. */
  revokeAfter(n: number): void;
  close(): Promise<void>;
}

export async function startFirestoreStandin(tls: { key: Buffer; cert: Buffer }, tokens: TokenServer, emulatorHost: string): Promise<FirestoreStandin> {
  const emulator = new Client(emulatorHost, credentials.createInsecure());
  const commits: FirestoreStandin['commits'] = [];
  let revokeAfter = Number.POSITIVE_INFINITY;
  const server = new Server();
  const handler = (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
    const auth = String(call.metadata.get('authorization')[0] ?? '');
    const token = auth.replace(/^Bearer /, '');
    const prefix = String(call.metadata.get('google-cloud-resource-prefix')[0] ?? '');
    const params = String(call.metadata.get('x-goog-request-params')[0] ?? '');
    const expires = tokens.issued.get(token);
    const accepted = commits.filter((c) => c.accepted).length;
    const ok = expires !== undefined && expires > Date.now() && accepted < revokeAfter;
    commits.push({ token, accepted: ok, prefix, params });
    if (!ok) return callback({ code: status.UNAUTHENTICATED, details: 'Request had invalid authentication credentials.' });
    if (!/^projects\/[^/]+\/databases\/\(default\)$/.test(prefix) || params !== `database=${encodeURIComponent(prefix)}`)
      return callback({ code: status.INVALID_ARGUMENT, details: `routing headers: ${prefix} / ${params}` });
    const m = new Metadata();
    m.set('authorization', 'Bearer owner');
    m.set('google-cloud-resource-prefix', prefix);
    m.set('x-goog-request-params', params);
    emulator.makeUnaryRequest(
      COMMIT,
      (b: Buffer) => b,
      (b: Buffer) => b,
      call.request,
      m,
      (err: ServiceError | null, res?: Buffer) => (err ? callback(err) : callback(null, res)),
    );
  };
  server.register(
    COMMIT,
    handler,
    (b: Buffer) => b,
    (b: Buffer) => b,
    'unary',
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createSsl(null, [{ private_key: tls.key, cert_chain: tls.cert }], false), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    host: `127.0.0.1:${port}`,
    commits,
    revokeAll: () => (revokeAfter = 0),
    revokeAfter: (n) => (revokeAfter = commits.filter((c) => c.accepted).length + n),
    close: async () => {
      emulator.close();
      await new Promise<void>((r) => server.tryShutdown(() => r()));
    },
  };
}
