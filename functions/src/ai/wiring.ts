import { defaultDeps } from '../core/deps.js';
import { bounded, RETENTION_DAYS } from '../core/params.js';
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
  const quota = config.dailyQuota();
  const ttl = config.cacheTtlHours();
  const timeout = config.timeoutSeconds();
  if (quota < 1 || ttl < 1 || timeout < 1) throw new Error('AI_DAILY_QUOTA, AI_CACHE_TTL_HOURS and AI_TIMEOUT_SECONDS must be at least 1');
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
