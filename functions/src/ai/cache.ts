/**
 * Cached AI answers (users/{uid}/ai_suggestions): one document per user, kind and language (a
 * deterministic id), served while `expires_at` is ahead. When the model cannot give a usable answer
 * the last cached one is served marked stale; with nothing cached the caller hears `unavailable`
 * (or `resource-exhausted` for a spent quota), never a half answer.
 */
import { Timestamp, type DocumentReference } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';
import { aiSuggestions, type AiSuggestionDoc, type AppLang, type JsonValue } from '@zhengrowth/model';
import { AiUnavailable } from './call.js';
import type { AiDeps } from './deps.js';

export interface CacheKey {
  /** Whose document it is (the reader of the answer). */
  uid: string;
  /** users/{uid}.profile_id, or the uid for users who came without a Supabase profile. */
  profileId: string;
  /** suggestion_type */
  type: string;
  lang: AppLang;
  /** The document id (kind and language, plus the subject for a coach's brief). */
  id: string;
}

export interface Served<T> {
  value: T;
  lang: AppLang;
  generated_at: string;
  expires_at: string;
  source: 'model' | 'cache';
  stale: boolean;
}

function cacheRef(deps: AiDeps, key: CacheKey): DocumentReference<AiSuggestionDoc> {
  return deps.db.doc(aiSuggestions.docPath({ uid: key.uid, suggestionId: key.id })).withConverter(aiSuggestions.converter);
}

/** The cached answer if it is one of ours and still reads as the answer schema (a migrated entry is not). */
async function readCached<S extends z.ZodType>(deps: AiDeps, key: CacheKey, answer: S): Promise<{ value: z.output<S>; doc: AiSuggestionDoc } | null> {
  const snap = await deps.db.doc(aiSuggestions.docPath({ uid: key.uid, suggestionId: key.id })).get();
  const doc = aiSuggestions.schema.safeParse(snap.data());
  if (!doc.success || !doc.data.expires_at || !doc.data.created_at) return null;
  const content = z.strictObject({ answer, model: z.string(), version: z.literal(1) }).safeParse(doc.data.content);
  return content.success ? { value: (content.data as { answer: z.output<S> }).answer, doc: doc.data } : null;
}

function servedFrom<T>(value: T, doc: AiSuggestionDoc, lang: AppLang, source: 'model' | 'cache', stale: boolean): Served<T> {
  return {
    value,
    lang,
    generated_at: (doc.created_at as Timestamp).toDate().toISOString(),
    expires_at: (doc.expires_at as Timestamp).toDate().toISOString(),
    source,
    stale,
  };
}

/**
 * The cached answer while fresh; otherwise a new one from `generate` (cached for the TTL), and if
 * that fails, the last cached answer marked stale, or an error the caller can act on.
 */
export async function serveCached<S extends z.ZodType>(
  deps: AiDeps,
  key: CacheKey,
  answer: S,
  generate: () => Promise<{ value: z.output<S>; model: string }>,
): Promise<Served<z.output<S>>> {
  const now = deps.now();
  const cached = await readCached(deps, key, answer);
  if (cached && (cached.doc.expires_at as Timestamp).toMillis() > now.getTime()) return servedFrom(cached.value, cached.doc, key.lang, 'cache', false);
  try {
    const fresh = await generate();
    const doc: AiSuggestionDoc = {
      user_id: key.uid,
      profile_id: key.profileId,
      suggestion_type: key.type,
      suggestion_lang: key.lang,
      content: { answer: fresh.value as JsonValue, model: fresh.model, version: 1 },
      expires_at: Timestamp.fromMillis(now.getTime() + deps.ai.cacheTtlHours * 3_600_000),
      created_at: Timestamp.fromDate(now),
    };
    await cacheRef(deps, key).set(doc);
    return servedFrom(fresh.value, doc, key.lang, 'model', false);
  } catch (err) {
    if (!(err instanceof AiUnavailable)) throw err;
    if (cached) return servedFrom(cached.value, cached.doc, key.lang, 'cache', true);
    if (err.outcome === 'quota_exceeded') {
      throw new HttpsError('resource-exhausted', 'the daily AI quota is used up; try again tomorrow', { retry_after_seconds: err.retryAfterSeconds ?? 86_400 });
    }
    throw new HttpsError('unavailable', 'AI suggestions are unavailable right now; please try again later');
  }
}
