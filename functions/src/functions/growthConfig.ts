/** Parameters of the analytics and experiment functions, declared once. */
import { defineString } from 'firebase-functions/params';
import type { AnalyticsDeps } from '../analytics/track.js';
import { defaultDeps } from '../core/deps.js';

export const ANALYTICS_RETENTION_DAYS = defineString('ANALYTICS_RETENTION_DAYS', {
  default: '395',
  description: 'Days raw analytics events are kept (the daily job deletes older ones; new events carry expires_at for the TTL policy). 1 to 3650.',
});

export function retentionDays(): number {
  const n = Number(ANALYTICS_RETENTION_DAYS.value());
  if (!Number.isInteger(n) || n < 1 || n > 3650) throw new Error('ANALYTICS_RETENTION_DAYS must be a whole number of days from 1 to 3650');
  return n;
}

export function analyticsDeps(): AnalyticsDeps {
  return { ...defaultDeps(), retentionDays: retentionDays() };
}
