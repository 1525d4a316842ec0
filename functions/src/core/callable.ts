import { logger } from 'firebase-functions/logger';
import type { Response } from 'express';
import { HttpsError, onCall, type CallableOptions, type CallableRequest, type Request } from 'firebase-functions/v2/https';
import { z } from 'zod';
import { ModelValidationError, type CallableContract, type CallableOutput, type CallableParsedInput, type CallableResult } from '@zhengrowth/model';
import { authorize, type CallerOf } from './access.js';
import { callerFrom } from './context.js';
import { isContention } from './firestore.js';
import type { Deps } from './deps.js';
import { clientIp } from './client-ip.js';
import { MAX_INSTANCES } from './instances.js';
import { APP_CHECK_ENFORCE, boundedParam, RATE_LIMITS, TRUSTED_PROXY_HOPS, TRUSTED_PROXY_HOPS_BOUNDS } from './params.js';
import { enforceRateLimit, policyFor, type RateLimitPolicy } from './rate-limit.js';
import { screenCallableBody, screenedReason } from './request-body.js';

/** Where a request came from, for handlers that record it (analytics) or limit by it. */
export interface RequestMeta {
  /** The caller's IP as Cloud Functions sees it (the first X-Forwarded-For hop of Google's front end). */
  ip: string | undefined;
  userAgent: string | undefined;
}

/**
 * A callable's handler: the contract's validated input in, the contract's output out. The caller is
 * one the contract admits (the frame refused everyone else): null only for a public callable.
 */
export type CallableHandler<C extends CallableContract, D extends Deps> = (
  input: CallableParsedInput<C>,
  caller: CallerOf<C>,
  deps: D,
  request: RequestMeta,
) => Promise<CallableResult<C>>;

function requestMeta(request: CallableRequestLike, trustedHops: number): RequestMeta {
  const ua = request.rawRequest?.headers?.['user-agent'];
  return { ip: clientIp(request.rawRequest, trustedHops), userAgent: typeof ua === 'string' ? ua : undefined };
}

/** "items.0.quantity: Too small: expected number to be >=1" — specific, and safe to show a client. */
export function describeZodError(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`)
    .join('; ');
}

function internal(name: string, err: unknown, kind: string): HttpsError {
  logger.error(`${name} failed`, { function: name, error: err instanceof Error ? err.message : String(err), kind });
  return new HttpsError('internal', 'Something went wrong; please try again.');
}

/** What a callable demands beyond its contract, read per request (the parameters may change between deploys). */
export interface CallableGuard {
  /** Calls per IP and per signed-in user (the RATE_LIMITS parameter overrides it by callable name). */
  rateLimit?: RateLimitPolicy;
  /** A valid App Check token is required (public callables, when APP_CHECK_ENFORCE is on). */
  appCheck?: boolean;
  /** Proxies of ours in front of the function (TRUSTED_PROXY_HOPS): how the caller's address is read (client-ip.ts). */
  trustedHops?: number;
}

export type CallableRequestLike = Pick<CallableRequest<unknown>, 'data' | 'auth'> & Partial<Pick<CallableRequest<unknown>, 'app' | 'rawRequest'>>;

async function guard(contract: CallableContract, request: CallableRequestLike, uid: string | undefined, deps: Deps, g: CallableGuard): Promise<void> {
  if (g.appCheck && !request.app) throw new HttpsError('unauthenticated', 'this app is not verified (App Check): reload the page and try again');
  const ip = clientIp(request.rawRequest, g.trustedHops ?? 0);
  if (g.rateLimit) await enforceRateLimit(deps.db, deps.now(), contract.name, { ip, uid }, g.rateLimit);
}

/** The input as the contract reads it; anything it cannot read (however malformed) is invalid-argument. */
function parseInput<C extends CallableContract>(contract: C, request: CallableRequestLike): CallableParsedInput<C> {
  const screened = screenedReason(request.rawRequest);
  if (screened) throw new HttpsError('invalid-argument', `(input): ${screened}`);
  const data = request.data;
  let parsed: ReturnType<C['input']['safeParse']>;
  try {
    parsed = contract.input.safeParse(data ?? {}) as ReturnType<C['input']['safeParse']>;
  } catch (err) {
    // A value zod cannot even walk (nested beyond the stack): the input is at fault, not us.
    logger.warn(`${contract.name} could not read its input`, { function: contract.name, kind: err instanceof Error ? err.name : typeof err });
    throw new HttpsError('invalid-argument', '(input): not a value this callable can read');
  }
  if (!parsed.success) throw new HttpsError('invalid-argument', describeZodError(parsed.error));
  return parsed.data as CallableParsedInput<C>;
}

/**
 * Runs a handler for a callable request: admits only the callers the contract's access names
 * (before anything else is read or written), validates `data` with the contract's input (a ZodError
 * becomes invalid-argument naming the field), checks the answer against the contract's output
 * (an answer that breaks it is our bug: logged, and the client gets `internal`, never a shape its
 * types do not describe), turns a transaction that lost to a concurrent one into `aborted` (nothing
 * was written; try again), and anything unexpected into `internal` without its stack or message
 * reaching the client. Kept apart from onCall so that tests can call it directly.
 */
export async function runCallable<C extends CallableContract, D extends Deps>(
  contract: C,
  handler: CallableHandler<C, D>,
  request: CallableRequestLike,
  deps: D,
  g: CallableGuard = {},
): Promise<CallableOutput<C>> {
  const caller = authorize(contract, callerFrom(request.auth));
  await guard(contract, request, caller?.uid, deps, g);
  const input = parseInput(contract, request);
  let result: CallableResult<C>;
  try {
    result = await handler(input, caller, deps, requestMeta(request, g.trustedHops ?? 0));
  } catch (err) {
    if (err instanceof HttpsError) throw err;
    if (err instanceof z.ZodError) throw new HttpsError('invalid-argument', describeZodError(err));
    if (isContention(err)) {
      logger.warn(`${contract.name} lost a transaction to a concurrent change`, { function: contract.name });
      throw new HttpsError('aborted', 'Someone changed the same record at the same moment; please try again.');
    }
    // Stored data that breaks the model is our bug, not the caller's: log it, hide it.
    throw internal(contract.name, err, err instanceof ModelValidationError ? 'model-validation' : err instanceof Error ? err.name : typeof err);
  }
  const checked = contract.output.safeParse(result);
  if (!checked.success) throw internal(contract.name, new Error(`answer breaks the contract: ${describeZodError(checked.error)}`), 'contract-output');
  return checked.data as CallableOutput<C>;
}

/**
 * A public callable requires an App Check token (the web app proves it is ours before an anonymous
 * call counts against anyone's limits), once APP_CHECK_ENFORCE turns it on for the project; a
 * signed-in caller is proven by their ID token.
 */
export function appCheckOf(access: CallableContract['access']): 'required' | 'not-required' {
  return access === 'public' ? 'required' : 'not-required';
}

export interface WiringOptions extends CallableOptions {
  /** The callable's default rate limits (per IP, per user); public callables should have one. */
  rateLimit?: RateLimitPolicy;
}

/**
 * onCall over a contract of the model: the handler's input and output are the contract's (a
 * handler that drifts from it does not compile), and `makeDeps` builds the handler's deps per
 * request (functions that need secrets read them there, at run time). `makeDeps` is required and
 * typed by the handler, so a handler that needs more than `Deps` cannot be wired without them.
 * Public callables honour App Check when APP_CHECK_ENFORCE is on; rate limits apply before the
 * input is parsed, so a flood costs one transaction per call and nothing else.
 */
export function validatedOnCall<C extends CallableContract, D extends Deps>(
  contract: C,
  handler: CallableHandler<C, D>,
  options: WiringOptions,
  makeDeps: () => D,
) {
  const { rateLimit, ...callableOptions } = options;
  const appCheck = appCheckOf(contract.access);
  // The contract's access and App Check setting travel in the deploy manifest as labels: the
  // endpoint has no field for them, and the manifest test holds them to the contract.
  const labels = { ...callableOptions.labels, access: contract.access, 'app-check': appCheck };
  const fn = onCall<unknown, Promise<CallableOutput<C>>>({ maxInstances: MAX_INSTANCES[contract.access], ...callableOptions, labels }, (request) =>
    runCallable(contract, handler, request, makeDeps(), {
      appCheck: appCheck === 'required' && APP_CHECK_ENFORCE.value() === 'true',
      rateLimit: rateLimit ? policyFor(contract.name, rateLimit, RATE_LIMITS.value()) : undefined,
      trustedHops: boundedParam(TRUSTED_PROXY_HOPS, TRUSTED_PROXY_HOPS_BOUNDS),
    }),
  );
  // The body is screened before the framework decodes it (core/request-body.ts); the function keeps
  // everything the framework hung on it (its endpoint for the deploy manifest, run, …).
  const screened = (req: Request, res: Response) => {
    screenCallableBody(req);
    return fn(req, res);
  };
  const wired = Object.defineProperties(screened, Object.getOwnPropertyDescriptors(fn)) as unknown as typeof fn;
  WIRED.set(wired, { contract: contract.name, access: contract.access, rateLimit });
  return wired;
}

/** What a callable was wired with beyond its endpoint: the generated functions reference reads it. */
export interface CallableWiring {
  contract: string;
  access: CallableContract['access'];
  rateLimit: RateLimitPolicy | undefined;
}
const WIRED = new WeakMap<object, CallableWiring>();

export function callableWiring(fn: unknown): CallableWiring | undefined {
  return typeof fn === 'function' ? WIRED.get(fn) : undefined;
}
