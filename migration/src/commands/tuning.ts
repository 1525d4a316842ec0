/**
 * The knobs zg-migrate reads from its environment, once, when a command starts (the code below
 * the commands takes them as values): ZG_MIGRATE_IN_FLIGHT, ZG_MIGRATE_PREFLIGHT_THREADS,
 * ZG_MIGRATE_PREFLIGHT_CHUNK, ZG_MIGRATE_DEBUG, ZG_MIGRATE_LEASE_TTL_MS, ZG_MIGRATE_PROGRESS_MS, and
 * the fault-injection hook ZG_MIGRATE_KILL_AFTER of the resume tests.
 */
import { z } from 'zod';
import { DEFAULT_TUNING, type MigrationContext, type Tuning } from '../migrate/context/index.js';
import { UsageError, type CliContext } from './command.js';

const count = (max: number) => z.coerce.number().int().min(0).max(max);

function read<T>(ctx: CliContext, name: string, schema: z.ZodType<T>, fallback: T): T {
  const raw = ctx.env[name];
  if (raw === undefined || raw === '') return fallback;
  const res = schema.safeParse(raw);
  if (!res.success) throw new UsageError(`${name}=${JSON.stringify(raw)}: ${res.error.issues[0]?.message ?? 'invalid'}`);
  return res.data;
}

export function tuningFrom(ctx: CliContext): Tuning {
  return {
    inFlight: Math.max(1, read(ctx, 'ZG_MIGRATE_IN_FLIGHT', count(64), DEFAULT_TUNING.inFlight)),
    preflightThreads: ctx.env.ZG_MIGRATE_PREFLIGHT_THREADS ? read(ctx, 'ZG_MIGRATE_PREFLIGHT_THREADS', count(8), 0) : undefined,
    preflightChunk: Math.max(1, read(ctx, 'ZG_MIGRATE_PREFLIGHT_CHUNK', count(10_000_000), DEFAULT_TUNING.preflightChunk)),
    debug: Boolean(ctx.env.ZG_MIGRATE_DEBUG),
    leaseTtlMs: Math.max(1000, read(ctx, 'ZG_MIGRATE_LEASE_TTL_MS', count(3_600_000), DEFAULT_TUNING.leaseTtlMs)),
  };
}

export function progressIntervalMs(ctx: CliContext): number {
  return Math.max(1, read(ctx, 'ZG_MIGRATE_PROGRESS_MS', count(3_600_000), 5000) || 5000);
}

/**
 * Test hook for fault injection: ZG_MIGRATE_KILL_AFTER=commit:3 kills the process (SIGKILL) after the
 * third commit; started:1 right after the run record is saved, before the first write.
 */
export function killHook(ctx: CliContext): MigrationContext['onEvent'] {
  const spec = ctx.env.ZG_MIGRATE_KILL_AFTER;
  if (!spec) return undefined;
  const m = /^(started|commit|checkpoint|auth|file):(\d+)$/.exec(spec);
  if (!m) throw new UsageError('ZG_MIGRATE_KILL_AFTER must look like started:1, commit:3, checkpoint:2, auth:1 or file:1');
  const [, event, n] = m;
  let seen = 0;
  return (e) => {
    if (e === event && ++seen >= Number(n)) process.kill(process.pid, 'SIGKILL');
  };
}
