import type { Deps } from '../core/deps.js';
import type { LanguageModel } from './model.js';

export interface AiSettings {
  /** Model calls per user per 24 hours (cache hits do not count). */
  dailyQuota: number;
  /** How long an answer is served from the cache. */
  cacheTtlHours: number;
  /** A model call is abandoned after this. */
  timeoutMs: number;
  /** Where a blog post is read on the web (`{base}/{slug}`), for the links in social drafts. */
  blogUrlBase: string;
  /** How long a call's log (ai_logs) is kept (AI_LOG_RETENTION_DAYS): Firestore's TTL deletes it after. */
  logRetentionDays: number;
}

/** What the AI callables need beyond Firestore and a clock: a model (built on first use: the key is a secret) and the limits. */
export interface AiDeps extends Deps {
  model: () => LanguageModel;
  ai: AiSettings;
}
