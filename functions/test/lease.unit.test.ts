/** The one lease rule (core/lease.ts), without a database: who holds the work, and what a take-over changes. */
import { describe, expect, it } from 'vitest';
import { holds, leaseFields, leaseLive, leaseOf, nextLease } from '../src/core/lease.js';

const t0 = new Date('2026-12-07T10:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

describe('core lease', () => {
  it('a fresh lease counts an attempt, ends after its duration, and is live until then', () => {
    const lease = nextLease(leaseOf(undefined), t0, 60_000);
    expect(lease.attempt).toBe(1);
    expect(lease.expiresAt.toMillis()).toBe(t0.getTime() + 60_000);
    const doc = leaseFields(lease);
    expect(leaseLive(leaseOf(doc), later(59_999))).toBe(true);
    expect(leaseLive(leaseOf(doc), later(60_000))).toBe(false);
    expect(leaseLive(leaseOf({ lease_id: null, lease_expires_at: null }), t0)).toBe(false);
  });

  it('a take-over writes a new id and the next attempt: the first holder no longer holds the work', () => {
    const first = nextLease(leaseOf(undefined), t0, 60_000);
    const doc = leaseFields(first);
    expect(holds(leaseOf(doc), first.id)).toBe(true);
    const second = nextLease(leaseOf(doc), later(61_000), 60_000);
    expect(second.attempt).toBe(2);
    expect(second.id).not.toBe(first.id);
    const taken = leaseFields(second);
    expect(holds(leaseOf(taken), first.id)).toBe(false);
    expect(holds(leaseOf(taken), second.id)).toBe(true);
    // Finished work carries no lease: nobody holds it, not even its last holder.
    expect(holds(leaseOf({ ...taken, lease_id: null }), second.id)).toBe(false);
  });
});
