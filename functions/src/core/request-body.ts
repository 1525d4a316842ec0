/**
 * What firebase-functions cannot decode without failing as `internal`: its callable protocol walks
 * `data` recursively (a deep enough value overflows the stack) and throws a plain Error for an
 * object with an unknown "@type". Such a body is screened before the framework sees it: its data
 * is replaced with null and the request remembered, so the frame answers invalid-argument once it
 * has checked the caller (access is still decided first).
 */
import type { Request } from 'firebase-functions/v2/https';

/** Deeper than any contract's input: past this, a value is refused unread. */
export const MAX_INPUT_DEPTH = 64;

const LONG_TYPES = new Set(['type.googleapis.com/google.protobuf.Int64Value', 'type.googleapis.com/google.protobuf.UInt64Value']);

const screened = new WeakMap<object, string>();

/** Why `data` cannot be decoded safely, or null. Iterative: it must not overflow on the values it refuses. */
export function unreadableReason(data: unknown): string | null {
  const stack: Array<[unknown, number]> = [[data, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_INPUT_DEPTH) return `nested deeper than ${MAX_INPUT_DEPTH} levels`;
    const type = (v as Record<string, unknown>)['@type'];
    if (type !== undefined && !Array.isArray(v)) {
      const value = (v as Record<string, unknown>).value;
      if (typeof type !== 'string' || !LONG_TYPES.has(type) || Number.isNaN(parseFloat(String(value))))
        return 'an "@type" value the callable protocol cannot decode';
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return null;
}

/** Screens a callable request's body in place (see above); call it before the framework's handler. */
export function screenCallableBody(req: Request): void {
  const body = req.body as { data?: unknown } | undefined;
  if (!body || typeof body !== 'object' || !('data' in body)) return;
  const reason = unreadableReason(body.data);
  if (!reason) return;
  screened.set(req, reason);
  body.data = null;
}

/** The reason a request's data was screened out, if it was. */
export function screenedReason(rawRequest: object | undefined): string | undefined {
  return rawRequest ? screened.get(rawRequest) : undefined;
}
