import { FirebaseError } from 'firebase/app';

/** The HttpsError codes a callable answers with (the `functions/` prefix of the web SDK removed). */
export type ApiErrorCode =
  | 'cancelled'
  | 'unknown'
  | 'invalid-argument'
  | 'deadline-exceeded'
  | 'not-found'
  | 'already-exists'
  | 'permission-denied'
  | 'resource-exhausted'
  | 'failed-precondition'
  | 'aborted'
  | 'out-of-range'
  | 'unimplemented'
  | 'internal'
  | 'unavailable'
  | 'data-loss'
  | 'unauthenticated';

const CODES = new Set<string>([
  'cancelled',
  'unknown',
  'invalid-argument',
  'deadline-exceeded',
  'not-found',
  'already-exists',
  'permission-denied',
  'resource-exhausted',
  'failed-precondition',
  'aborted',
  'out-of-range',
  'unimplemented',
  'internal',
  'unavailable',
  'data-loss',
  'unauthenticated',
]);

/**
 * A refused or failed call, as the web app handles it: the HttpsError code (switch on it), the
 * server's message (specific, safe to show: "items.0.quantity: Too small…"), and its details
 * (`retry_after_seconds` on resource-exhausted, for instance).
 */
export class ApiError extends Error {
  constructor(
    readonly callable: string,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The web SDK's error (code `functions/not-found`) as an ApiError; anything else as `unknown`. */
export function toApiError(callable: string, err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof FirebaseError) {
    const code = err.code.replace(/^functions\//, '');
    const details: unknown = (err as FirebaseError & { details?: unknown }).details;
    return new ApiError(callable, CODES.has(code) ? (code as ApiErrorCode) : 'unknown', err.message, details);
  }
  return new ApiError(callable, 'unknown', err instanceof Error ? err.message : String(err));
}
