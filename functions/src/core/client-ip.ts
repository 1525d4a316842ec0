/**
 * The caller's address, as limits and records use it: never a value the caller controls. Express's
 * `req.ip` under `trust proxy` (the Functions runtime and the emulator enable it) is the leftmost
 * X-Forwarded-For entry, which any client can write. Google's front end appends the address it
 * saw to the header, so the trusted address is counted from the right: with TRUSTED_PROXY_HOPS
 * proxies of ours in front (1 in production: Google's front end), it is the hops-th entry from the
 * end. With 0 (no proxy: the emulator), it is the connection's peer.
 */
export interface RawRequestLike {
  ip?: string;
  headers?: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string };
}

export function clientIp(raw: RawRequestLike | undefined, trustedHops: number): string | undefined {
  if (!raw) return undefined;
  if (trustedHops > 0) {
    const header = raw.headers?.['x-forwarded-for'];
    const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const trusted = entries[entries.length - trustedHops];
    if (trusted) return trusted;
  }
  return raw.socket?.remoteAddress ?? raw.ip;
}
