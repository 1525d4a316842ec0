/**
 * One object from Supabase Storage to Cloud Storage, streamed: the source's body (supabase-js
 * storage, `download().asStream()`) flows through an MD5 hash and a byte count into the upload
 * (@google-cloud/storage, the client firebase-admin uses), never whole in memory. The copy is then
 * checked against what Cloud Storage reports (size and MD5) and against the source's size.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Bucket } from '@google-cloud/storage';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { StorageObjectRef } from '../urls/storage-url.js';

export interface CopiedObject {
  targetPath: string;
  size: number;
  /** Base64, as Cloud Storage reports it. */
  md5: string;
  contentType: string | null;
  cacheControl: string | null;
  /** The download token (public buckets) written into the object's metadata. */
  token: string | null;
}

/** The object does not exist in Supabase Storage (a reject, not a stop). */
export class MissingObject extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingObject';
  }
}

/** The copy does not match the source: size or MD5 differ. */
export class CopyMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyMismatch';
  }
}

function notFound(error: { message?: string; status?: number; statusCode?: string | number }): boolean {
  return error.status === 404 || String(error.statusCode) === '404' || /not.?found/i.test(error.message ?? '');
}

/** Cache-Control as Supabase stores it: `3600` means `max-age=3600`. */
function cacheControlOf(v: string | null | undefined): string | null {
  if (!v) return null;
  return /^\d+$/.test(v) ? `max-age=${v}` : v;
}

export async function copyObject(storage: SupabaseClient['storage'], bucket: Bucket, o: StorageObjectRef, isPublic: boolean): Promise<CopiedObject> {
  const from = storage.from(o.bucket);
  const info = await from.info(o.path);
  if (info.error) {
    if (notFound(info.error)) throw new MissingObject(`${o.bucket}/${o.path} is not in Supabase Storage (${info.error.message})`);
    throw new Error(`Supabase Storage: ${o.bucket}/${o.path}: ${info.error.message}`);
  }
  const contentType = info.data.contentType ?? null;
  const cacheControl = cacheControlOf(info.data.cacheControl);
  const body = await from.download(o.path).asStream();
  if (body.error || !body.data) {
    if (body.error && notFound(body.error)) throw new MissingObject(`${o.bucket}/${o.path} is not in Supabase Storage (${body.error.message})`);
    throw new Error(`Supabase Storage: downloading ${o.bucket}/${o.path}: ${body.error?.message ?? 'no body'}`);
  }
  const targetPath = `${o.bucket}/${o.path}`;
  const token = isPublic ? randomUUID() : null;
  const hash = createHash('md5');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  const file = bucket.file(targetPath);
  await pipeline(
    Readable.fromWeb(body.data as unknown as WebReadableStream<Uint8Array>),
    tap,
    file.createWriteStream({
      resumable: true,
      validation: false,
      metadata: {
        contentType: contentType ?? undefined,
        cacheControl: cacheControl ?? undefined,
        metadata: token ? { firebaseStorageDownloadTokens: token } : undefined,
      },
    }),
  );
  const md5 = hash.digest('base64');
  const [meta] = await file.getMetadata();
  const stored = Number(meta.size);
  if (stored !== size || meta.md5Hash !== md5)
    throw new CopyMismatch(`${targetPath}: Cloud Storage holds ${stored} bytes (MD5 ${meta.md5Hash}), ${size} bytes (MD5 ${md5}) were sent`);
  if (typeof info.data.size === 'number' && info.data.size !== size)
    throw new CopyMismatch(`${targetPath}: Supabase Storage says ${info.data.size} bytes, ${size} were read`);
  return { targetPath, size, md5, contentType, cacheControl, token };
}

/**
 * What the URL columns hold after the copy. A public Supabase bucket's objects were readable by
 * anyone with the URL: they get a Firebase download URL (its token in the object's metadata), which
 * the app can use as it used the old one. A private bucket's objects get a gs:// path, which the app
 * resolves through the Storage SDK and Storage rules (receipts stay private).
 */
export function newUrl(targetBucket: string, copied: CopiedObject): string {
  if (!copied.token) return `gs://${targetBucket}/${copied.targetPath}`;
  return `https://firebasestorage.googleapis.com/v0/b/${targetBucket}/o/${encodeURIComponent(copied.targetPath)}?alt=media&token=${copied.token}`;
}
