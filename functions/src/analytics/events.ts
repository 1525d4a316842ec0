/**
 * How the server writes an analytics event: its time, its UTC day (what the rollup and retention
 * query: created_at itself is exempt from indexing, see docs/indexes.md), its TTL, the signed-in
 * uid, the user agent, and the caller's network rather than address.
 *
 * Privacy: the seed's `ip_address` is an inet column, and an inet holds a network as well as a
 * host. We store the network the address belongs to, never the address: IPv4 to its /24
 * ("203.0.113.0/24"), IPv6 to its /48 ("2001:db8:1::/48"), the truncation analytics vendors use to
 * anonymise IPs. That keeps what analytics needs (rough origin, one network's share of traffic)
 * without storing a personal identifier. The per-IP rate limit uses the full address, hashed, in
 * rate_limits (deleted by TTL within the hour).
 */
import { isIP } from 'node:net';
import { Timestamp } from 'firebase-admin/firestore';
import type { AnalyticsEventDoc, JsonValue } from '@zhengrowth/model';

export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function ipv6Groups(ip: string): number[] | null {
  const [head = '', tail] = ip.split('::');
  if (ip.split('::').length > 2) return null;
  const parse = (s: string) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups = tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** The /24 (IPv4) or /48 (IPv6) network of an address, as inet text; null when there is no valid address. */
export function ipNetwork(ip: string | undefined): string | null {
  if (!ip) return null;
  const v4 = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  if (isIP(v4) === 4) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIP(ip) !== 6) return null;
  const groups = ipv6Groups(ip.split('%')[0] ?? ip);
  if (!groups) return null;
  return `${groups
    .slice(0, 3)
    .map((g) => g.toString(16))
    .join(':')}::/48`;
}

export interface ServerEvent {
  name: string;
  userId: string | null;
  sessionId: string | null;
  properties: { [key: string]: JsonValue } | null;
  pageUrl: string | null;
  referrer: string | null;
  userAgent: string | undefined;
  ip: string | undefined;
  now: Date;
  retentionDays: number;
}

/** An analytics_events document as the server stores it. */
export function analyticsEventDoc(e: ServerEvent): AnalyticsEventDoc {
  return {
    event_name: e.name,
    user_id: e.userId,
    session_id: e.sessionId,
    properties: e.properties,
    page_url: e.pageUrl,
    referrer: e.referrer,
    user_agent: e.userAgent ? e.userAgent.slice(0, 512) : null,
    ip_address: ipNetwork(e.ip),
    created_at: Timestamp.fromDate(e.now),
    day: utcDay(e.now),
    expires_at: Timestamp.fromMillis(e.now.getTime() + e.retentionDays * 86_400_000),
  };
}
