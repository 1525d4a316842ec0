import type { z } from 'zod';

/**
 * Who may call a callable: anyone, a signed-in user, staff (coaches and admins) or admins. The
 * functions' callable frame enforces it before it reads the input (signed out: unauthenticated;
 * without the role: permission-denied), so a handler sees only callers its contract admits.
 */
export type CallableAccess = 'public' | 'signed-in' | 'staff' | 'admin';

/**
 * A callable's contract: its exported name, what it takes and what it answers. The functions wire
 * their handler to it (a handler whose input or output drifts from it does not compile), and
 * `@zhengrowth/client` makes one typed function per contract. Inputs and outputs travel as JSON:
 * output schemas hold JSON values only (times as ISO strings).
 */
export interface CallableContract<
  N extends string = string,
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  A extends CallableAccess = CallableAccess,
> {
  readonly name: N;
  readonly input: I;
  readonly output: O;
  readonly access: A;
  readonly description: string;
}

export function defineCallable<N extends string, I extends z.ZodType, O extends z.ZodType, A extends CallableAccess>(
  contract: CallableContract<N, I, O, A>,
): CallableContract<N, I, O, A> {
  return contract;
}

/** What a caller sends (defaults may be left out). */
export type CallableInput<C extends CallableContract> = z.input<C['input']>;
/** What a handler receives, validated and with defaults filled in. */
export type CallableParsedInput<C extends CallableContract> = z.output<C['input']>;
/** What a handler returns (checked against the output schema before it is sent). */
export type CallableResult<C extends CallableContract> = z.input<C['output']>;
/** What the caller receives. */
export type CallableOutput<C extends CallableContract> = z.output<C['output']>;

/** What a schema accepts (for the web app's forms: defaults may be left out). */
export type SchemaInput<S extends z.ZodType> = z.input<S>;
/** What a schema gives after parsing. */
export type SchemaOutput<S extends z.ZodType> = z.output<S>;
