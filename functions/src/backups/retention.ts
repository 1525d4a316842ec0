/**
 * Retention of the export folders (`firestore-exports/{YYYY-MM-DD}/` in the backup bucket): the
 * folders of days older than the retention are deleted, newest kept. Only folders named by a day
 * are touched, so anything else an operator puts in the bucket stays.
 */
import type { StorageBucket as Bucket } from '../core/app.js';

export const EXPORT_ROOT = 'firestore-exports/';
const DAY_FOLDER = /^firestore-exports\/(\d{4}-\d{2}-\d{2})\/$/;

/** The day folders under the export root (one listing page per 1,000 folders). */
async function dayFolders(bucket: Bucket): Promise<string[]> {
  const days: string[] = [];
  let pageToken: string | undefined;
  do {
    const [, next, response] = await bucket.getFiles({ prefix: EXPORT_ROOT, delimiter: '/', autoPaginate: false, maxResults: 1000, pageToken });
    for (const p of (response as { prefixes?: string[] } | undefined)?.prefixes ?? []) {
      const day = DAY_FOLDER.exec(p)?.[1];
      if (day) days.push(day);
    }
    pageToken = (next as { pageToken?: string } | null)?.pageToken;
  } while (pageToken);
  return days.sort();
}

/** Deletes the folders of days before `oldestKept` (YYYY-MM-DD); returns the days deleted. */
export async function pruneExports(bucket: Bucket, oldestKept: string): Promise<string[]> {
  const old = (await dayFolders(bucket)).filter((day) => day < oldestKept);
  for (const day of old) await bucket.deleteFiles({ prefix: `${EXPORT_ROOT}${day}/`, force: true });
  return old;
}
