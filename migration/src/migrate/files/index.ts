/**
 * `zg-migrate files`: every Supabase Storage object that a URL column points to, copied to Cloud
 * Storage under the same path (`{bucket}/{path}` in the target bucket) with its content type and
 * cache control, streamed and checked (copy.ts); then the documents that hold its URL written again
 * with the new one (the transform rewrites URL columns through the map of copied objects, so run,
 * sync and verify agree). Each object's state is kept (migration_files): a killed `files` copies only
 * what is not done, and rewrites only documents not yet rewritten. A missing object is a reject with
 * its reason; its URL stays as it was.
 */
import { createHash } from 'node:crypto';
import type { Bucket } from '@google-cloud/storage';
import type { SupabaseClient } from '@supabase/supabase-js';
import { migrationFiles, type MigrationFileDoc, type MigrationRunDoc } from '@zhengrowth/model';
import { Timestamp } from 'firebase-admin/firestore';
import { prepare, type MigrationContext } from '../context/index.js';
import { tablesOfUnit } from '../plan/mapping.js';
import { pool } from '../concurrency/pool.js';
import { ChangeSet } from '../sync/changes.js';
import { applyRows } from '../sync/index.js';
import type { SyncCounts } from '../sync/writes.js';
import { copyObject, CopyMismatch, MissingObject, newUrl } from './copy.js';
import { findObjects, objectKey, type ObjectRefs } from './references.js';
import type { StorageObjectRef } from '../urls/storage-url.js';
import { UrlMap } from '../urls/url-map.js';

export interface FilesOptions {
  storage: SupabaseClient['storage'];
  bucket: Bucket;
  /** The Supabase project URL (its Storage URLs are the ones copied). */
  origin: string;
  concurrency: number;
}

export interface FilesResult {
  objects: number;
  copied: number;
  /** Copied by an earlier `files`. */
  already: number;
  bytes: number;
  rejects: Array<{ table: string; key: string; column: string; url: string; reason: string }>;
  rows: SyncCounts | null;
}

export function fileIdOf(o: StorageObjectRef): string {
  return createHash('sha256').update(objectKey(o)).digest('hex').slice(0, 40);
}

const fileRef = (ctx: MigrationContext, o: StorageObjectRef) =>
  ctx.db.doc(migrationFiles.docPath({ fileId: fileIdOf(o) })).withConverter(migrationFiles.converter);

async function latestRun(ctx: MigrationContext): Promise<{ id: string; doc: MigrationRunDoc }> {
  const run = (await ctx.state.runs()).find((r) => r.doc.source === ctx.source.description);
  if (!run) throw new Error(`no run from ${ctx.source.description} in project ${ctx.projectId}: \`zg-migrate run\` first`);
  if (run.doc.status === 'running' || run.doc.status === 'failed') throw new Error(`the run ${run.id} did not finish: \`zg-migrate run --resume\` first`);
  return run;
}

export async function copyFiles(ctx: MigrationContext, options: FilesOptions): Promise<FilesResult> {
  const run = await latestRun(ctx);
  const prepared = await prepare(ctx, { uidMap: run.doc.uid_map });
  const urls = prepared.unitContext.transform.urls;
  if (!(urls instanceof UrlMap)) throw new Error('no URL map');
  const refs = await findObjects(ctx.source, prepared, options.origin, run.doc.units.flatMap(tablesOfUnit));
  const result: FilesResult = { objects: refs.size, copied: 0, already: 0, bytes: 0, rejects: [], rows: null };
  const publicBuckets = new Map<string, Promise<boolean>>();
  const isPublic = (bucket: string): Promise<boolean> => {
    let p = publicBuckets.get(bucket);
    if (!p) {
      p = options.storage.getBucket(bucket).then((r) => r.data?.public === true);
      publicBuckets.set(bucket, p);
    }
    return p;
  };
  const toRewrite: ObjectRefs[] = [];
  const task = ctx.progress.task('files', 'objects', refs.size);
  await pool([...refs.values()], options.concurrency, async (r) => {
    const ref = fileRef(ctx, r.object);
    const known = (await ref.get()).data();
    if (known?.status === 'copied') {
      result.already++;
      if (!known.rewritten) toRewrite.push(r);
      task.add(1);
      return;
    }
    const base: Omit<MigrationFileDoc, 'status' | 'size' | 'md5' | 'content_type' | 'cache_control' | 'url' | 'reason' | 'public'> = {
      origin: r.object.origin,
      bucket: r.object.bucket,
      path: r.object.path,
      target_bucket: options.bucket.name,
      target_path: `${r.object.bucket}/${r.object.path}`,
      rewritten: false,
      at: Timestamp.now(),
    };
    const pub = await isPublic(r.object.bucket);
    let lastError: Error | null = null;
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        const copied = await copyObject(options.storage, options.bucket, r.object, pub);
        const url = newUrl(options.bucket.name, copied);
        await ref.set({
          ...base,
          status: 'copied',
          size: copied.size,
          md5: copied.md5,
          content_type: copied.contentType,
          cache_control: copied.cacheControl,
          public: pub,
          url,
          reason: null,
        });
        urls.set(r.object.origin, r.object.bucket, r.object.path, url);
        ctx.onEvent?.('file');
        result.copied++;
        result.bytes += copied.size;
        toRewrite.push(r);
        lastError = null;
        break;
      } catch (err) {
        if (!(err instanceof MissingObject) && !(err instanceof CopyMismatch)) throw err;
        lastError = err;
        if (err instanceof MissingObject) break;
      }
    }
    if (lastError) {
      await ref.set({
        ...base,
        status: lastError instanceof MissingObject ? 'missing' : 'failed',
        size: null,
        md5: null,
        content_type: null,
        cache_control: null,
        public: pub,
        url: null,
        reason: lastError.message,
      });
      for (const row of r.rows) result.rejects.push({ ...row, reason: lastError.message });
    }
    task.add(1);
  });
  task.finish();
  if (toRewrite.length) {
    // The documents that hold these URLs, written again through the transform (which now knows where they went).
    const changes = new ChangeSet();
    for (const r of toRewrite) for (const row of r.rows) changes.touch(row.table, [row.key]);
    result.rows = await applyRows(ctx, prepared, { runId: run.id, units: run.doc.units }, changes, options.concurrency);
    for (let i = 0; i < toRewrite.length; i += 400) {
      const batch = ctx.db.batch();
      for (const r of toRewrite.slice(i, i + 400)) batch.update(ctx.db.doc(migrationFiles.docPath({ fileId: fileIdOf(r.object) })), { rewritten: true });
      await batch.commit();
    }
  }
  return result;
}
