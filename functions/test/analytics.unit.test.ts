/** The network stored for an IP (the privacy choice of analytics events) and the UTC day. */
import { describe, expect, it } from 'vitest';
import { ipNetwork, utcDay } from '../src/analytics/events.js';

describe('ipNetwork', () => {
  it('keeps an IPv4 address’s /24 and an IPv6 address’s /48, never the address', () => {
    expect(ipNetwork('203.0.113.77')).toBe('203.0.113.0/24');
    expect(ipNetwork('::ffff:198.51.100.9')).toBe('198.51.100.0/24');
    expect(ipNetwork('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(ipNetwork('2001:db8::1')).toBe('2001:db8:0::/48');
    expect(ipNetwork('::1')).toBe('0:0:0::/48');
    expect(ipNetwork('fe80::1%eth0')).toBe('fe80:0:0::/48');
  });

  it('stores nothing for what is no address', () => {
    for (const bad of [undefined, '', 'unknown', '999.1.1.1', '1:2:3', 'a::b::c']) expect(ipNetwork(bad)).toBeNull();
  });

  it('utcDay is the UTC calendar day', () => {
    expect(utcDay(new Date('2026-12-01T23:59:59.999Z'))).toBe('2026-12-01');
    expect(utcDay(new Date('2026-12-02T00:00:00+08:00'))).toBe('2026-12-01');
  });
});
