/**
 * blog_posts.view_count from `track` against the Firestore emulator: a page view of a published
 * post counts once per visitor per UTC day (the uid, or the address and user agent: not a session
 * id a script can vary); a hot post's views all count through its shards; the rollup adds each
 * view once, also when two rollups overlap; a slug that is no published post counts nothing and
 * creates nothing.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blogPosts, blogViewShards, blogViews, track as trackContract } from '@zhengrowth/model';
import { put } from '@zhengrowth/devstack/testing';
import { rollupBlogViews, VIEW_SHARDS } from '../src/analytics/blog-views.js';
import { track } from '../src/analytics/track.js';
import { call, growthWorld, member, uniq, type Auth, type GrowthWorld } from './support/growth.js';

let w: GrowthWorld;
beforeAll(() => {
  w = growthWorld('blogviews');
});
afterAll(async () => {
  await w?.close();
});

async function post(published: boolean, viewCount: number | null = 40): Promise<string> {
  const slug = uniq('post-');
  await put(w.db.doc(blogPosts.docPath({ slug })).withConverter(blogPosts.converter), {
    id: slug,
    title: slug,
    excerpt: null,
    body_md: '# Hello',
    cover_image: null,
    author_id: null,
    published,
    published_at: published ? Timestamp.now() : null,
    lang: 'en',
    tags: [],
    meta_title: null,
    meta_description: null,
    view_count: viewCount,
    created_at: Timestamp.now(),
    updated_at: null,
  });
  return slug;
}

const view = (slug: string, who: { auth?: Auth | null; ip?: string; ua?: string; session?: string } = {}) =>
  call(
    trackContract,
    track,
    w.deps,
    who.auth ?? null,
    { events: [{ name: 'page_view', properties: { blog_post: slug }, session_id: who.session ?? uniq('s') }] },
    { ip: who.ip ?? '198.51.100.7', userAgent: who.ua ?? 'Mozilla/5.0' },
  );

const viewCount = async (slug: string) => (await w.db.doc(blogPosts.docPath({ slug })).withConverter(blogPosts.converter).get()).data()?.view_count;

async function shardsOf(slug: string) {
  const all = await w.db.collection(blogViewShards.collectionPath({})).withConverter(blogViewShards.converter).where('post', '==', slug).get();
  return all.docs.map((d) => d.data());
}

describe('blog post views', () => {
  it('count once per visitor per day: signed-in by uid, others by address and browser, never by session id', async () => {
    w.clock.set(new Date('2026-03-03T10:00:00Z'));
    const slug = await post(true, 40);
    const reader = await member(w);
    for (let i = 0; i < 3; i++) {
      await view(slug, { auth: reader, ip: `203.0.113.${i}` });
      await view(slug, { ip: '198.51.100.20', session: `varied-${i}` });
    }
    await view(slug, { ip: '198.51.100.21' });
    await view(slug, { ip: '198.51.100.21', ua: 'Another browser' });
    // Other events, or a page view without a post, count nothing.
    await call(
      trackContract,
      track,
      w.deps,
      null,
      { events: [{ name: 'signup_click', properties: { blog_post: slug } }, { name: 'page_view' }] },
      { ip: '198.51.100.99' },
    );
    expect(await rollupBlogViews(w.deps)).toBe(4);
    expect(await viewCount(slug)).toBe(44);
    // The same visitors the next day count again; the rollup adds nothing twice.
    w.clock.advance(86_400_000);
    await view(slug, { auth: reader });
    expect(await rollupBlogViews(w.deps)).toBe(1);
    expect(await rollupBlogViews(w.deps)).toBe(0);
    expect(await viewCount(slug)).toBe(45);
    const shards = await shardsOf(slug);
    expect(shards.reduce((n, s) => n + s.total, 0)).toBe(5);
    expect(shards.every((s) => s.pending === 0)).toBe(true);
  });

  it('a hot post takes many views at once through its shards, and two overlapping rollups add each once', async () => {
    w.clock.set(new Date('2026-03-05T10:00:00Z'));
    const slug = await post(true, null);
    await Promise.all(Array.from({ length: 12 }, (_, i) => view(slug, { ip: `192.0.2.${i}` })));
    expect((await shardsOf(slug)).length).toBeGreaterThan(1);
    expect((await shardsOf(slug)).length).toBeLessThanOrEqual(VIEW_SHARDS);
    const [a, b] = await Promise.all([rollupBlogViews(w.deps), rollupBlogViews(w.deps)]);
    expect(a + b).toBe(12);
    expect(await viewCount(slug)).toBe(12);
  });

  it('a slug that is no published post counts nothing and creates nothing', async () => {
    w.clock.set(new Date('2026-03-07T10:00:00Z'));
    const draft = await post(false, 3);
    const missing = uniq('nowhere-');
    for (const slug of [draft, missing]) expect(await view(slug, { ip: '198.51.100.50' })).toEqual({ accepted: 1 });
    await rollupBlogViews(w.deps);
    expect(await viewCount(draft)).toBe(3);
    expect((await w.db.doc(blogPosts.docPath({ slug: missing })).get()).exists).toBe(false);
    for (const slug of [draft, missing]) expect(await shardsOf(slug)).toEqual([]);
    const views = await w.db.collection(blogViews.collectionPath({})).where('post', 'in', [draft, missing]).get();
    expect(views.size).toBe(0);
  });
});
