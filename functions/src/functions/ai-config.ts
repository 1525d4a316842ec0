/**
 * Secrets and parameters of the AI callables. GEMINI_API_BASE points the SDK at a local stand-in in
 * tests; deployed, it is Google's endpoint.
 */
import { defineInt, defineSecret, defineString } from 'firebase-functions/params';
import type { CallableOptions } from 'firebase-functions/v2/https';
import type { AiConfig } from '../ai/wiring.js';

export const GEMINI_API_KEY = defineSecret('GEMINI_API_KEY');

export const GEMINI_MODEL = defineString('GEMINI_MODEL', { default: 'gemini-2.5-flash', description: 'Gemini model for suggestions, briefs and drafts' });
export const GEMINI_API_BASE = defineString('GEMINI_API_BASE', {
  default: 'https://generativelanguage.googleapis.com',
  description: 'Gemini API origin (a local stand-in in tests)',
});
export const AI_DAILY_QUOTA = defineInt('AI_DAILY_QUOTA', { default: 30, description: 'Model calls per user per 24 hours (cache hits are free)' });
export const AI_CACHE_TTL_HOURS = defineInt('AI_CACHE_TTL_HOURS', { default: 24, description: 'How long AI suggestions are served from the cache' });
export const AI_TIMEOUT_SECONDS = defineInt('AI_TIMEOUT_SECONDS', { default: 20, description: 'A model call is abandoned after this many seconds' });
export const AI_LOG_RETENTION_DAYS = defineInt('AI_LOG_RETENTION_DAYS', {
  default: 90,
  description: 'Days a model call log (ai_logs) is kept before Firestore TTL deletes it (1 to 3650)',
});
export const BLOG_URL_BASE = defineString('BLOG_URL_BASE', {
  default: 'https://zhengrowth.com/blog',
  description: 'Public URL of the blog; social drafts link to {base}/{slug}',
});

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
