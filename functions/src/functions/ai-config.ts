/** What the AI callables read of the params (core/params.ts), and their options. */
import {
  AI_CACHE_TTL_HOURS,
  AI_DAILY_QUOTA,
  AI_LOG_RETENTION_DAYS,
  AI_TIMEOUT_SECONDS,
  BLOG_URL_BASE,
  GEMINI_API_BASE,
  GEMINI_API_KEY,
  GEMINI_MODEL,
} from '../core/params.js';
import type { CallableOptions } from 'firebase-functions/v2/https';
import type { AiConfig } from '../ai/wiring.js';

export const aiConfig: AiConfig = {
  apiKey: () => GEMINI_API_KEY.value(),
  model: () => GEMINI_MODEL.value(),
  baseUrl: () => GEMINI_API_BASE.value(),
  dailyQuota: () => AI_DAILY_QUOTA.value(),
  cacheTtlHours: () => AI_CACHE_TTL_HOURS.value(),
  timeoutSeconds: () => AI_TIMEOUT_SECONDS.value(),
  blogUrlBase: () => BLOG_URL_BASE.value(),
  logRetentionDays: () => AI_LOG_RETENTION_DAYS.value(),
};

/** Model calls wait on Gemini: give the function room beyond the model timeout. */
export const AI_CALLABLE_OPTIONS: CallableOptions = { cors: true, secrets: [GEMINI_API_KEY], timeoutSeconds: 90, memory: '256MiB' };
