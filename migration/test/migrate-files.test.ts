/**
 * `zg-migrate files` against local stand-ins of Supabase Storage (read through supabase-js) and of
 * Cloud Storage's JSON API (written through @google-cloud/storage), which record what they were
 * asked: every object a URL column points to is copied under the same path with its content type
 * and cache control, checked by size and MD5; the URLs in the documents are rewritten once
 * (download URLs for public buckets, gs:// for private ones), other URLs stay; a missing object is a
 * reject, not a stop; a second `files` copies nothing; a killed one resumes.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestDatabase, TestFirebase } from '@zhengrowth/devstack/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discardFirebase, firebaseFor, seededDatabase, targetEnv, zg, zgProcess } from './migrate-helpers.js';
import { withClient } from './pg-helpers.js';
import { startCloudStorage, startSupabaseStorage, type GcsStandin, type Standin, type StoredObject } from './storage-standins.js';

const KEY = 'service-role-test-key';
const BUCKET = 'files-test-bucket';

describe('zg-migrate files', () => {
  let src: TestDatabase;
  let fb: TestFirebase;
  let supabase: Standin;
  let gcs: GcsStandin;
  let tmp: string;
  let env: Record<string, string>;
  const objects = new Map<string, StoredObject>();
  const big = randomBytes(300 * 1024);
  let rows: { profile: string; user: string; post: string; receipt: string; social: string; event: string; media: string[] };

  beforeAll(async () => {
    objects.set('avatars/u1/a.png', { body: randomBytes(2000), contentType: 'image/png', cacheControl: '3600' });
    objects.set('covers/post 1.jpg', { body: randomBytes(5000), contentType: 'image/jpeg', cacheControl: 'public, max-age=86400' });
    objects.set('receipts/r1.pdf', { body: randomBytes(1200), contentType: 'application/pdf', cacheControl: 'no-cache' });
    objects.set('media/clip.mp4', { body: big, contentType: 'video/mp4', cacheControl: '60' });
    supabase = await startSupabaseStorage(
      KEY,
      { avatars: { public: true }, covers: { public: true }, media: { public: true }, receipts: { public: false } },
      objects,
    );
    gcs = await startCloudStorage();
    src = await seededDatabase(0.01, 'zg_files');
    const s = supabase.origin;
    rows = await withClient(src.url, async (c) => {
      const one = async (sql: string): Promise<Record<string, string>> => (await c.query<Record<string, string>>(sql)).rows[0] ?? {};
      const p = await one('SELECT id::text, user_id::text AS user FROM zg_profiles ORDER BY id LIMIT 1');
      const missing = await one('SELECT id::text FROM zg_profiles ORDER BY id OFFSET 1 LIMIT 1');
      const post = await one('SELECT id::text FROM blog_posts ORDER BY id LIMIT 1');
      const receipt = await one('SELECT id::text FROM me_receipts ORDER BY id LIMIT 1');
      const social = await one('SELECT id::text FROM social_posts ORDER BY id LIMIT 1');
      const event = await one('SELECT id::text FROM events_catalog ORDER BY id LIMIT 1');
      const media = [`${s}/storage/v1/object/public/media/clip.mp4`, 'https://www.youtube.com/watch?v=dQw4w9WgXcQ'];
      await c.query('UPDATE zg_profiles SET avatar_url = $2 WHERE id = $1', [p.id, `${s}/storage/v1/object/public/avatars/u1/a.png`]);
      await c.query('UPDATE zg_profiles SET avatar_url = $2 WHERE id = $1', [missing.id, `${s}/storage/v1/object/public/avatars/gone.png`]);
      await c.query('UPDATE blog_posts SET cover_image = $2 WHERE id = $1', [post.id, `${s}/storage/v1/render/image/public/covers/post%201.jpg?width=400`]);
      await c.query('UPDATE me_receipts SET receipt_url = $2 WHERE id = $1', [receipt.id, `${s}/storage/v1/object/sign/receipts/r1.pdf?token=abc`]);
      await c.query('UPDATE social_posts SET media_urls = $2 WHERE id = $1', [social.id, media]);
      await c.query('UPDATE events_catalog SET cover_image = $2 WHERE id = $1', [event.id, 'https://cdn.example.com/event.jpg']);
      return { profile: p.id ?? '', user: p.user ?? '', post: post.id ?? '', receipt: receipt.id ?? '', social: social.id ?? '', event: event.id ?? '', media };
    });
    fb = firebaseFor('files');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-files-'));
    env = { ...targetEnv(fb), SUPABASE_URL: s, SUPABASE_SERVICE_ROLE_KEY: KEY, STORAGE_EMULATOR_HOST: gcs.origin };
    expect((await zg(['run', '--source', src.url], env)).code).toBe(0);
  }, 600_000);
  afterAll(async () => {
    await discardFirebase(fb);
    await src?.drop();
    await supabase?.close();
    await gcs?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const uploads = (): string[] => gcs.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/upload/')).map((r) => r.path);

  it('copies every referenced object (same path, content type, cache control, size and MD5), rewrites its URLs, and rejects the missing one', async () => {
    const r = await zg(['files', '--source', src.url, '--bucket', BUCKET, '--rejects', path.join(tmp, 'files-rejects.ndjson')], env);
    expect(r.err).not.toMatch(/zg-migrate:/);
    expect(r.code, r.out).toBe(3);
    expect(r.out).toMatch(/5 Supabase Storage objects referenced; 4 copied/);
    const rejects = fs
      .readFileSync(path.join(tmp, 'files-rejects.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(rejects).toEqual([
      expect.objectContaining({
        table: 'zg_profiles',
        column: 'avatar_url',
        reason: expect.stringMatching(/avatars\/gone\.png is not in Supabase Storage/) as string,
      }),
    ]);

    for (const [key, o] of objects) {
      const copy = gcs.objects.get(`${BUCKET}/${key}`);
      expect(copy?.body.equals(o.body), key).toBe(true);
      expect(copy?.metadata.contentType).toBe(o.contentType);
      expect(copy?.metadata.cacheControl).toBe(/^\d+$/.test(o.cacheControl ?? '') ? `max-age=${o.cacheControl}` : o.cacheControl);
    }
    // Every object was read from Supabase with the service role key, and uploaded once.
    expect(supabase.requests.filter((q) => q.path.startsWith('/storage/v1/object/media/clip.mp4'))).toHaveLength(1);
    expect(uploads()).toHaveLength(4);

    const user = (await fb.db.doc(`users/${rows.user}`).get()).data() ?? {};
    const token = (gcs.objects.get(`${BUCKET}/avatars/u1/a.png`)?.metadata.metadata as Record<string, string> | undefined)?.firebaseStorageDownloadTokens;
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    expect(user.avatar_url).toBe(`https://firebasestorage.googleapis.com/v0/b/${BUCKET}/o/${encodeURIComponent('avatars/u1/a.png')}?alt=media&token=${token}`);
    const post = await fb.db.collection('blog_posts').where('id', '==', rows.post).get();
    expect(post.docs[0]?.get('cover_image')).toMatch(
      new RegExp(`^https://firebasestorage\\.googleapis\\.com/v0/b/${BUCKET}/o/covers%2Fpost%201\\.jpg\\?alt=media&token=`),
    );
    const receipts = await fb.db.collectionGroup('receipts').get();
    expect(receipts.docs.find((d) => d.id === rows.receipt)?.get('receipt_url')).toBe(`gs://${BUCKET}/receipts/r1.pdf`);
    // Private objects get no download token.
    expect(gcs.objects.get(`${BUCKET}/receipts/r1.pdf`)?.metadata.metadata).toBeUndefined();
    const social = await fb.db.collectionGroup('social_posts').get();
    const media = social.docs.find((d) => d.id === rows.social)?.get('media_urls') as string[];
    expect(media[0]).toMatch(new RegExp(`^https://firebasestorage\\.googleapis\\.com/v0/b/${BUCKET}/o/media%2Fclip\\.mp4\\?alt=media&token=`));
    expect(media[1]).toBe(rows.media[1]);
    expect((await fb.db.doc(`events/${rows.event}`).get()).get('cover_image')).toBe('https://cdn.example.com/event.jpg');
    const state = await fb.db.collection('migration_files').get();
    const clip = state.docs.map((d) => d.data()).find((d) => d.path === 'clip.mp4');
    expect(clip).toMatchObject({ status: 'copied', size: big.length, md5: createHash('md5').update(big).digest('base64'), rewritten: true });

    // verify expects the new URLs (the transform rewrites through the map of copied objects).
    const v = await zg(['verify', '--source', src.url], env);
    expect(v.code, v.out).toBe(0);
  }, 600_000);

  it('a second files copies and rewrites nothing; a sync keeps the new URLs', async () => {
    const before = uploads().length;
    const userBefore = (await fb.db.doc(`users/${rows.user}`).get()).data();
    const again = await zg(['files', '--source', src.url, '--bucket', BUCKET], env);
    expect(again.code).toBe(3);
    expect(again.out).toMatch(/0 copied to .*, 4 copied before/);
    expect(uploads()).toHaveLength(before);
    expect((await fb.db.doc(`users/${rows.user}`).get()).data()).toEqual(userBefore);
    await withClient(src.url, (c) => c.query("UPDATE zg_profiles SET name = 'Renamed' WHERE id = $1", [rows.profile]));
    expect((await zg(['sync', '--source', src.url], env)).code).toBe(0);
    const user = (await fb.db.doc(`users/${rows.user}`).get()).data() ?? {};
    expect(user.name).toBe('Renamed');
    expect(user.avatar_url).toBe(userBefore?.avatar_url);
  }, 600_000);

  it('resumes after a kill: what was copied is not copied again', async () => {
    const other = firebaseFor('files-kill');
    try {
      const e = { ...env, ...targetEnv(other) };
      expect((await zg(['run', '--source', src.url], e)).code).toBe(0);
      const before = uploads().length;
      const killed = await zgProcess(['files', '--source', src.url, '--bucket', `${BUCKET}-2`, '--concurrency', '1'], {
        ...e,
        ZG_MIGRATE_KILL_AFTER: 'file:2',
      });
      expect(killed.signal, killed.err).toBe('SIGKILL');
      expect(uploads().length - before).toBe(2);
      const resumed = await zg(['files', '--source', src.url, '--bucket', `${BUCKET}-2`], e);
      expect(resumed.code, resumed.out).toBe(3);
      expect(resumed.out).toMatch(/2 copied to .*, 2 copied before/);
      expect(uploads().length - before).toBe(4);
      expect((await zg(['verify', '--source', src.url], e)).code).toBe(0);
      expect(String((await other.db.doc(`users/${rows.user}`).get()).get('avatar_url'))).toMatch(new RegExp(`/b/${BUCKET}-2/o/`));
    } finally {
      await discardFirebase(other);
    }
  }, 600_000);
});
