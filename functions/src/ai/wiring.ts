import { defaultDeps } from '../core/deps.js';
import { AI_BOUNDS, bounded, RETENTION_DAYS } from '../core/params.js';
import type { AiDeps } from './deps.js';
import { geminiModel } from './gemini.js';
import type { LanguageModel } from './model.js';

export interface AiConfig {
  apiKey: () => string;
  model: () => string;
  baseUrl: () => string;
  dailyQuota: () => number;
  cacheTtlHours: () => number;
  timeoutSeconds: () => number;
  blogUrlBase: () => string;
  logRetentionDays: () => number;
}

/** AiDeps from the functions' secret and parameters, read when a request comes in; the model is built on first use. */
export function aiDeps(config: AiConfig): AiDeps {
  let model: LanguageModel | undefined;
  const quota = bounded('AI_DAILY_QUOTA', config.dailyQuota(), AI_BOUNDS.dailyQuota);
  const ttl = bounded('AI_CACHE_TTL_HOURS', config.cacheTtlHours(), AI_BOUNDS.cacheTtlHours);
  const timeout = bounded('AI_TIMEOUT_SECONDS', config.timeoutSeconds(), AI_BOUNDS.timeoutSeconds);
  return {
    ...defaultDeps(),
    model: () => (model ??= geminiModel({ apiKey: config.apiKey(), model: config.model(), baseUrl: config.baseUrl() })),
    ai: {
      dailyQuota: quota,
      cacheTtlHours: ttl,
      timeoutMs: timeout * 1000,
      blogUrlBase: config.blogUrlBase().replace(/\/+$/, ''),
      logRetentionDays: bounded('AI_LOG_RETENTION_DAYS', config.logRetentionDays(), RETENTION_DAYS),
    },
  };
}
