import { z } from 'zod';

/** A Firestore document id given by a client: no '/', bounded. */
export const docIdInput = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/]+$/, 'must be a document id');

/** An instant in an answer: ISO 8601 in UTC (Timestamps do not travel as JSON). */
export const isoTime = z.iso.datetime({ offset: true });

/** An http(s) URL given by a client. */
export const httpUrlInput = z.url({ protocol: /^https?$/ }).max(2000);

/** A client's idempotency key: the same key, the same effect. */
export const idempotencyKeyInput = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'must be 8 to 100 letters, digits, - or _');

/** The page of a paged list: the last id of the previous page, null when there is no more. */
export const nextPageToken = z.string().nullable();
