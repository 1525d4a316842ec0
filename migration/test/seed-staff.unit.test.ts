/**
 * Every admin and coach of the demo data shows a person on the staff screens: a profile with a
 * name, an e-mail and a language, at npm start's scale and at the others, whatever the seed.
 */
import { describe, expect, it } from 'vitest';
import { generateDemoData } from '../src/seed/index.js';
import type { Row } from '../src/seed/rows.js';

function rowsOf(tables: ReturnType<typeof generateDemoData>, table: string): Row[] {
  return [...(tables.find((t) => t.table === table)?.rows ?? [])];
}

describe('demo staff', () => {
  it.each([
    [0.01, 'fixture'],
    [0.1, 'demo'],
    [0.2, 'demo'],
    [1, 'demo'],
  ])('at scale %s (seed %s) every admin and coach has a complete profile', (scale, seed) => {
    const tables = generateDemoData(scale, seed, new Date('2026-12-07T00:00:00Z'));
    const roles = rowsOf(tables, 'public.user_roles');
    const profiles = new Map(rowsOf(tables, 'public.zg_profiles').map((p) => [p.user_id, p]));
    const staff = [...new Set(roles.filter((r) => r.role === 'admin' || r.role === 'coach').map((r) => r.user_id))];
    expect(staff.length).toBeGreaterThanOrEqual(5);
    const incomplete = staff.filter((uid) => {
      const p = profiles.get(uid);
      return !p || !p.name || !p.email || !p.lang;
    });
    expect(incomplete).toEqual([]);
  });
});
