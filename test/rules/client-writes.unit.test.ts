/**
 * The client-write schemas against the stored ones, on values: the largest document a client may
 * write (every variant of it) is a document the model reads, and the tolerant read splits good
 * documents from bad ones without echoing their data.
 */
import { ALL_COLLECTIONS, communityPosts, parseDoc, splitDocs, type SnapshotLike } from '@zhengrowth/model';
import { Timestamp } from 'firebase/firestore';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { maximal, WORST_CASE } from '../parity/write-samples.js';

const snap = (id: string, data: unknown): SnapshotLike => ({ id, ref: { path: `community_posts/${id}` }, data: () => data });

describe('client-write schemas', () => {
  it('the largest client write of every collection, in every variant, is a document the model reads', () => {
    const unreadable: string[] = [];
    for (const c of ALL_COLLECTIONS) {
      if (!c.clientWrite) continue;
      for (const variant of [0, 1, 2, 3, WORST_CASE]) {
        const shape = c.clientWrite.shape as Record<string, z.ZodType>;
        const written = Object.fromEntries(Object.entries(shape).map(([f, t]) => [f, maximal(t, variant)]));
        if (!c.clientWrite.safeParse(written).success) unreadable.push(`${c.template} (variant ${variant}): not even its own client form`);
        // A partial client write (users/{uid}) is checked field by field against the stored schema.
        const stored = c.schema.pick(Object.fromEntries(Object.keys(shape).map((k) => [k, true])) as never);
        const res = stored.safeParse(written);
        if (!res.success) unreadable.push(`${c.template} (variant ${variant}): ${res.error.issues.map((i) => i.path.join('.')).join(', ')}`);
      }
    }
    expect(unreadable).toEqual([]);
  });
});

describe('the tolerant read (splitDocs, parseDoc)', () => {
  const good = {
    author_id: 'u1',
    title: 'Hi',
    content: 'x',
    tags: ['a'],
    likes_count: 0,
    comments_count: 0,
    published: true,
    pinned: false,
    metadata: null,
    created_at: Timestamp.now(),
    updated_at: null,
  };

  it('keeps the good documents in order and reports the bad ones by path and problem, not by value', () => {
    const secret = 'a value that must not appear in a log';
    const split = splitDocs(communityPosts, [snap('p1', good), snap('p2', { ...good, tags: [42], title: secret }), snap('p3', { ...good, title: 'Yo' })]);
    expect(split.docs.map((d) => [d.id, d.path, d.data.title])).toEqual([
      ['p1', 'community_posts/p1', 'Hi'],
      ['p3', 'community_posts/p3', 'Yo'],
    ]);
    expect(split.invalid).toEqual([{ id: 'p2', path: 'community_posts/p2', error: expect.stringMatching(/^tags\.0: /) as unknown }]);
    expect(JSON.stringify(split.invalid)).not.toContain(secret);
    expect(JSON.stringify(split.invalid)).not.toContain('42');
  });

  it('parses one document, or says why it cannot be read', () => {
    expect(parseDoc(communityPosts, snap('ok', good))).toMatchObject({ ok: true, data: { title: 'Hi' } });
    expect(parseDoc(communityPosts, snap('bad', { ...good, metadata: { at: Timestamp.now() } }))).toMatchObject({
      ok: false,
      bad: { path: 'community_posts/bad', error: expect.stringMatching(/^metadata: expected a JSON value/) as unknown },
    });
  });
});
