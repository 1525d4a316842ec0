/**
 * Cal.com's API v2, the one call the event type sync makes: `GET {CAL_API_BASE}/v2/event-types`
 * with the API key as a bearer token and `cal-api-version: 2024-06-14` (the version whose answer
 * is `{status: "success", data: [event type…]}` with `lengthInMinutes`, `price` in the currency's
 * minor unit, `currency` and `hidden`). What Cal.com answers is checked item by item: an event type
 * we cannot read is skipped and counted, never half-written. Errors say what happened without the
 * key or the whole answer.
 */
import { z } from 'zod';

export const CAL_API_VERSION = '2024-06-14';

export interface CalApi {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
}

/** Cal.com could not be asked, or did not answer as documented; `status` is its HTTP status, when there was one. */
export class CalApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'CalApiError';
  }
}

const calEventType = z.looseObject({
  id: z.int().positive(),
  slug: z.string().min(1).max(200),
  title: z.string().min(1).max(500),
  description: z.string().max(10_000).nullable().optional(),
  lengthInMinutes: z
    .int()
    .positive()
    .max(24 * 60),
  price: z.int().min(0).optional(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/)
    .optional(),
  hidden: z.boolean().optional(),
});
export type CalEventType = z.infer<typeof calEventType>;

const envelope = z.looseObject({ status: z.literal('success'), data: z.array(z.unknown()) });
const errorBody = z.looseObject({ error: z.looseObject({ message: z.string() }) });

function reason(text: string): string {
  try {
    const e = errorBody.safeParse(JSON.parse(text));
    return e.success ? `: ${e.data.error.message.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

export async function fetchEventTypes(api: CalApi): Promise<{ types: CalEventType[]; skipped: number }> {
  if (!api.apiKey) throw new CalApiError('CAL_API_KEY is not set', null);
  let res: Response;
  try {
    res = await fetch(`${api.baseUrl.replace(/\/+$/, '')}/v2/event-types`, {
      headers: { authorization: `Bearer ${api.apiKey}`, 'cal-api-version': CAL_API_VERSION, accept: 'application/json' },
      signal: AbortSignal.timeout(api.timeoutMs ?? 20_000),
    });
  } catch (err) {
    throw new CalApiError(`Cal.com could not be reached (${err instanceof Error ? err.name : 'network error'})`, null);
  }
  const text = await res.text();
  if (!res.ok) throw new CalApiError(`Cal.com answered ${res.status}${reason(text)}`, res.status);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CalApiError('Cal.com answered with something that is not JSON', res.status);
  }
  const env = envelope.safeParse(body);
  if (!env.success) throw new CalApiError('Cal.com answered in a shape other than its documented one', res.status);
  const types: CalEventType[] = [];
  let skipped = 0;
  for (const item of env.data.data) {
    const t = calEventType.safeParse(item);
    if (t.success) types.push(t.data);
    else skipped++;
  }
  return { types, skipped };
}
