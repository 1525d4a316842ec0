/**
 * `track`: a batch of 1 to 50 events from the web app, stored with the server's time (a client's
 * clock is kept as the `client_time` property, never as created_at), the caller's network (see
 * events.ts for the privacy choice), user agent and uid. Each event's properties are JSON values
 * only, at most 50 keys and 4 KB as JSON, at most 5 levels deep; one bad event refuses the batch,
 * naming it. One batched write per call; a page view of a blog post also counts towards its
 * view_count (blog-views.ts). The per-IP limit is in the wiring (sharded windows).
 */
import { logger } from 'firebase-functions/logger';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  analyticsEvents,
  ANALYTICS_PROPERTIES_MAX_BYTES,
  isJsonValue,
  type JsonValue,
  type track as trackContract,
  type TrackEventInput,
} from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import type { Deps } from '../core/deps.js';
import type { RateLimitPolicy } from '../core/rate-limit.js';
import { countBlogViews, viewedPosts } from './blog-views.js';
import { analyticsEventDoc } from './events.js';

export interface AnalyticsDeps extends Deps {
  /** ANALYTICS_RETENTION_DAYS: raw events are deleted this long after they happened. */
  retentionDays: number;
}

/**
 * Per caller IP. The window is split over 8 documents: a browser sends its batches a few at a
 * time, and one document counted in a transaction per call would serialize them (see
 * core/rate-limit.ts, `shards`).
 */
export const TRACK_LIMITS: RateLimitPolicy = { ip: { max: 600, per_seconds: 60, shards: 8 } };

const MAX_KEYS = 50;
const MAX_DEPTH = 5;

function depth(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  const children = Array.isArray(v) ? v : Object.values(v);
  return 1 + children.reduce<number>((m, c) => Math.max(m, depth(c)), 0);
}

/** The event's properties as stored, or the problem with them. */
function propertiesOf(e: TrackEventInput): { [key: string]: JsonValue } | string | null {
  const props: Record<string, unknown> = { ...(e.properties ?? {}) };
  if (e.client_time) props.client_time = e.client_time;
  if (Object.keys(props).length === 0) return null;
  if (Object.keys(props).length > MAX_KEYS) return `at most ${MAX_KEYS} properties`;
  if (!isJsonValue(props)) return 'properties must be JSON values (strings, finite numbers, booleans, null, lists and objects of them)';
  if (depth(props) > MAX_DEPTH) return `properties nest at most ${MAX_DEPTH} levels`;
  if (Buffer.byteLength(JSON.stringify(props)) > ANALYTICS_PROPERTIES_MAX_BYTES)
    return `properties are at most ${ANALYTICS_PROPERTIES_MAX_BYTES} bytes as JSON`;
  return props;
}

export const track: CallableHandler<typeof trackContract, AnalyticsDeps> = async (input, caller, deps, request) => {
  const now = deps.now();
  const docs = input.events.map((e, i) => {
    const properties = propertiesOf(e);
    if (typeof properties === 'string') throw new HttpsError('invalid-argument', `events.${i}.properties: ${properties}`);
    return analyticsEventDoc({
      name: e.name,
      userId: caller?.uid ?? null,
      sessionId: e.session_id ?? null,
      properties,
      pageUrl: e.page_url ?? null,
      referrer: e.referrer ?? null,
      userAgent: request.userAgent,
      ip: request.ip,
      now,
      retentionDays: deps.retentionDays,
    });
  });
  const batch = deps.db.batch();
  const col = deps.db.collection(analyticsEvents.collectionPath({})).withConverter(analyticsEvents.converter);
  for (const d of docs) batch.create(col.doc(), d);
  await batch.commit();
  // A blog post's page views move its view_count (once per visitor per day: blog-views.ts).
  const posts = viewedPosts(input.events);
  // The events are stored: a count that fails is logged, not a failed call the browser would send again.
  if (posts.length)
    await countBlogViews(deps, posts, { uid: caller?.uid ?? null, ip: request.ip, userAgent: request.userAgent }).catch((err: unknown) => {
      logger.warn('blog post views not counted', { posts, error: err instanceof Error ? err.message : String(err) });
    });
  return { accepted: docs.length };
};
