/**
 * The Supabase Storage URLs a URL column may hold, and the object each names:
 * `{origin}/storage/v1/object/public/{bucket}/{path}`, `…/object/sign/{bucket}/{path}?token=…`,
 * `…/object/authenticated/{bucket}/{path}` and the image transformations
 * `…/render/image/{public|sign|authenticated}/{bucket}/{path}?width=…`. Anything else (YouTube, a
 * CDN, another host) is not a Storage object and stays as it is.
 */

export interface StorageObjectRef {
  /** The Supabase project URL the object lives in (scheme, host, port). */
  origin: string;
  bucket: string;
  /** The object's path in its bucket, decoded. */
  path: string;
}

const PATH = /^\/storage\/v1\/(?:object|render\/image)\/(?:public|sign|authenticated)\/([^/]+)\/(.+)$/;

export function parseStorageUrl(url: string): StorageObjectRef | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  const m = PATH.exec(u.pathname);
  if (!m) return null;
  try {
    return { origin: u.origin, bucket: decodeURIComponent(m[1] ?? ''), path: decodeURIComponent(m[2] ?? '') };
  } catch {
    return null;
  }
}
