/**
 * `blog_posts.view_count` from page views: a `page_view` event that names a published post in
 * `properties.blog_post` counts once per visitor per UTC day — the visitor is the signed-in uid, or
 * else the caller's address and user agent (hashed into the id, never stored), not the session id
 * a script could vary. A view is one transaction: the day's `blog_views` document is created (an
 * existing one means counted already) and one of eight shards of the post (`blog_view_shards`)
 * gets it, so a hot post takes many views at once. Every 10 minutes `rollupBlogViews` moves each
 * shard's pending views into the post, shard and post in one transaction, so two rollups at once
 * add nothing twice. A slug that is no published post counts nothing and creates nothing.
 */
import { createHash, randomInt } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import { blogPosts, blogViews, blogViewShards, blogViewShardsPending, type TrackEventInput } from '@zhengrowth/model';
import type { Deps } from '../core/deps.js';
import { runTx, txCreate, txMerge, txSet } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import { utcDay } from './events.js';

export const VIEW_SHARDS = 8;
/** Posts one `track` call may count (a page sends one view; more is a script). */
export const VIEWS_PER_CALL = 5;
const DAY_MS = 86_400_000;

/** The slugs of the page views of a batch (distinct, at most VIEWS_PER_CALL). */
export function viewedPosts(events: readonly TrackEventInput[]): string[] {
  const slugs = events
    .filter((e) => e.name === 'page_view')
    .map((e) => e.properties?.blog_post)
    .filter((s): s is string => typeof s === 'string' && /^[^/]{1,200}$/.test(s) && s !== '.' && s !== '..' && !s.startsWith('__'));
  return [...new Set(slugs)].slice(0, VIEWS_PER_CALL);
}

export interface Visitor {
  uid: string | null;
  ip: string | undefined;
  userAgent: string | undefined;
}

function viewId(slug: string, v: Visitor, day: string): string {
  const who = v.uid ? `u:${v.uid}` : `a:${v.ip ?? '-'}\u0000${v.userAgent ?? '-'}`;
  return createHash('sha256').update(`${slug}\u0000${who}\u0000${day}`).digest('hex');
}

/** Counts each post's view once for this visitor today; returns how many were new. */
export async function countBlogViews(deps: Deps, slugs: readonly string[], visitor: Visitor): Promise<number> {
  const db = deps.db;
  const now = deps.now();
  const day = utcDay(now);
  let counted = 0;
  for (const slug of slugs) {
    const post = db.doc(blogPosts.docPath({ slug })).withConverter(blogPosts.converter);
    const view = db.doc(blogViews.docPath({ viewId: viewId(slug, visitor, day) })).withConverter(blogViews.converter);
    const shard = db.doc(blogViewShards.docPath({ shardId: `${slug}:${randomInt(VIEW_SHARDS)}` })).withConverter(blogViewShards.converter);
    const added = await runTx(db, async (tx) => {
      const [p, seen, s] = await Promise.all([tx.get(post), tx.get(view), tx.get(shard)]);
      if (!p.data()?.published || seen.exists) return false;
      const at = Timestamp.fromDate(now);
      txCreate(tx, view, { post: slug, day, expires_at: Timestamp.fromMillis(Date.parse(`${day}T00:00:00Z`) + 2 * DAY_MS) });
      const was = s.data();
      txSet(tx, shard, { post: slug, pending: (was?.pending ?? 0) + 1, total: was?.total ?? 0, updated_at: at });
      return true;
    });
    if (added) counted++;
  }
  return counted;
}

/** Moves every shard's pending views into its post; returns the views moved. */
export async function rollupBlogViews(deps: Deps, limit = 500): Promise<number> {
  const db = deps.db;
  const pending = await buildQuery(db, blogViewShardsPending, [0]).withConverter(blogViewShards.converter).limit(limit).get();
  const posts = new Set(pending.docs.map((d) => d.data().post));
  let moved = 0;
  for (const slug of posts) {
    const post = db.doc(blogPosts.docPath({ slug })).withConverter(blogPosts.converter);
    const shards = Array.from({ length: VIEW_SHARDS }, (_, i) =>
      db.doc(blogViewShards.docPath({ shardId: `${slug}:${i}` })).withConverter(blogViewShards.converter),
    );
    moved += await runTx(db, async (tx) => {
      const p = await tx.get(post);
      const ss = await tx.getAll(...shards);
      const live = ss.flatMap((s) => {
        const d = s.data();
        return d && d.pending > 0 ? [{ ref: s.ref, d }] : [];
      });
      const sum = live.reduce((n, s) => n + s.d.pending, 0);
      const at = Timestamp.fromDate(deps.now());
      // A post deleted since its views were counted: the shards are emptied all the same.
      if (sum > 0 && p.exists) txMerge(tx, post, { view_count: (p.data()?.view_count ?? 0) + sum });
      for (const s of live) txSet(tx, s.ref, { post: slug, pending: 0, total: s.d.total + s.d.pending, updated_at: at });
      return sum;
    });
  }
  return moved;
}
