/**
 * Where `zg-migrate files` put each Supabase Storage object: the URL columns of every document are
 * written through this map (run, sync, replay) and verify expects it, so a copied file's URL is
 * rewritten exactly once, whatever writes the document next.
 */
import { migrationFiles } from '@zhengrowth/model';
import type { Firestore } from 'firebase-admin/firestore';
import type { UrlRewriter } from '../transform/types.js';
import { parseStorageUrl } from './storage-url.js';

export class UrlMap implements UrlRewriter {
  private readonly byObject = new Map<string, string>();

  /** Records the new URL of a copied object of `origin` (the Supabase project URL). */
  set(origin: string, bucket: string, path: string, url: string): void {
    this.byObject.set(`${origin}\u0000${bucket}\u0000${path}`, url);
  }

  get size(): number {
    return this.byObject.size;
  }

  /** As plain data (for a worker thread). */
  toData(): Array<[string, string]> {
    return [...this.byObject];
  }

  static fromData(data: Array<[string, string]>): UrlMap {
    const map = new UrlMap();
    for (const [k, v] of data) map.byObject.set(k, v);
    return map;
  }

  rewrite(url: string): string {
    if (this.byObject.size === 0) return url;
    const o = parseStorageUrl(url);
    if (!o) return url;
    return this.byObject.get(`${o.origin}\u0000${o.bucket}\u0000${o.path}`) ?? url;
  }
}

/** The map of every object copied so far in this project (empty before `files` runs). */
export async function loadUrlMap(db: Firestore): Promise<UrlMap> {
  const map = new UrlMap();
  const snap = await db.collection(migrationFiles.collectionPath({})).withConverter(migrationFiles.converter).where('status', '==', 'copied').get();
  for (const d of snap.docs) {
    const f = d.data();
    if (f.url) map.set(f.origin, f.bucket, f.path, f.url);
  }
  return map;
}
