/**
 * The plan of work of a run: the source's row counts (in the snapshot, for the report and the
 * progress bars), how many rows each unit has left, and the order — largest units first, so the
 * long ones start at once and the small ones fill the gaps.
 */
import { AUTH_TABLE } from '../plan/mapping.js';
import { pool } from '../concurrency/pool.js';
import type { Unit } from '../units/index.js';
import type { UnitStart } from './start.js';

export interface Work {
  units: Unit[];
  /** Source rows per table. */
  totals: Map<string, number>;
  /** Largest first. */
  bySize: Unit[];
  startOf(u: Unit): UnitStart;
  /** Rows left in a unit after a key. */
  remaining(u: Unit, key: string | null): Promise<number>;
}

export async function planWork(units: Unit[], startOf: (u: Unit) => UnitStart, concurrency: number): Promise<Work> {
  const totals = new Map<string, number>();
  await pool(units, concurrency, async (u) => {
    for (const [t, n] of Object.entries(await u.count())) totals.set(t, n);
  });
  const remaining = async (u: Unit, key: string | null): Promise<number> =>
    key === null && u.tables.length === 1 && u.name !== AUTH_TABLE ? (totals.get(u.name) ?? 0) : u.remaining(key);
  const size = (u: Unit): number => u.tables.reduce((n, t) => n + (totals.get(t) ?? 0), 0);
  return { units, totals, bySize: [...units].sort((a, b) => size(b) - size(a)), startOf, remaining };
}
