import type { Command } from 'commander';
import type { z } from 'zod';

/** Where a command writes, and the environment it may read: injected so tests can capture both. */
export interface CliContext {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** stderr is a terminal: progress bars instead of periodic lines. */
  isTTY?: boolean;
}

/**
 * One zg-migrate command. Each lives in its own module under commands/ and adds itself to the
 * program; its action resolves on success and throws on failure. Exit codes are not its business:
 * cli.ts maps the outcome to them in one place.
 */
export interface CommandModule {
  register(program: Command, ctx: CliContext): void;
}

/** Bad invocation (exit code 2), as opposed to a failure while doing the work (exit code 1). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The command finished its work but some rows were rejected (exit code 3); the report lists them. */
export class RowsRejected extends Error {
  constructor(readonly count: number) {
    super(`${count} row(s) rejected`);
    this.name = 'RowsRejected';
  }
}

/** The command ran and its answer is "no" (verify found differences): exit code 1, message already printed. */
export class CheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailed';
  }
}

function flagOf(key: PropertyKey | undefined): string {
  return typeof key === 'string' ? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : 'an option';
}

/**
 * Validates commander's raw option values with a zod schema. A failure names the flag, e.g.
 * "option --scale: must be greater than 0 (got "-1")".
 */
export function parseOptions<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue?.path[0];
  const given = typeof key === 'string' ? raw[key] : undefined;
  throw new UsageError(`option ${flagOf(key)}: ${issue?.message ?? 'invalid value'}${given === undefined ? '' : ` (got ${JSON.stringify(given)})`}`);
}
