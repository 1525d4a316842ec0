import { logger } from 'firebase-functions';
import { HttpsError, onCall, type CallableOptions, type CallableRequest } from 'firebase-functions/v2/https';
import { z } from 'zod';
import { ModelValidationError } from '@zhengrowth/model';
import { callerFrom, type Caller } from './context.js';
import { defaultDeps, type Deps } from './deps.js';

export type CallableHandler<S extends z.ZodType, R, D extends Deps = Deps> = (input: z.infer<S>, caller: Caller | null, deps: D) => Promise<R>;

/** "items.0.quantity: Too small: expected number to be >=1" — specific, and safe to show a client. */
export function describeZodError(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`)
    .join('; ');
}

/**
 * Runs a handler for a callable request: validates `data` with the schema (a ZodError becomes
 * invalid-argument naming the field), and turns anything unexpected into `internal` without its
 * stack or message reaching the client. Kept apart from onCall so that tests can call it directly.
 */
export async function runCallable<S extends z.ZodType, R, D extends Deps = Deps>(
  name: string,
  schema: S,
  handler: CallableHandler<S, R, D>,
  request: Pick<CallableRequest<unknown>, 'data' | 'auth'>,
  deps: D,
): Promise<R> {
  const parsed = schema.safeParse(request.data ?? {});
  if (!parsed.success) throw new HttpsError('invalid-argument', describeZodError(parsed.error));
  try {
    return await handler(parsed.data, callerFrom(request.auth), deps);
  } catch (err) {
    if (err instanceof HttpsError) throw err;
    if (err instanceof z.ZodError) throw new HttpsError('invalid-argument', describeZodError(err));
    // Stored data that breaks the model is our bug, not the caller's: log it, hide it.
    logger.error(`${name} failed`, {
      function: name,
      error: err instanceof Error ? err.message : String(err),
      kind: err instanceof ModelValidationError ? 'model-validation' : err instanceof Error ? err.name : typeof err,
    });
    throw new HttpsError('internal', 'Something went wrong; please try again.');
  }
}

/**
 * onCall with zod-validated input and plain-async handlers over (input, caller, deps). `makeDeps`
 * builds the handler's deps per request (a function that needs secrets reads them there, at run time).
 */
export function validatedOnCall<S extends z.ZodType, R, D extends Deps = Deps>(
  name: string,
  schema: S,
  handler: CallableHandler<S, R, D>,
  options: CallableOptions = {},
  makeDeps: () => D = defaultDeps as () => D,
) {
  return onCall<unknown, Promise<R>>(options, (request) => runCallable(name, schema, handler, request, makeDeps()));
}
