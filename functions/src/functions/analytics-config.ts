/** The analytics and experiment functions' dependencies, from their params (core/params.ts). */
import { ANALYTICS_RETENTION_DAYS, boundedParam, RETENTION_DAYS } from '../core/params.js';
import type { AnalyticsDeps } from '../analytics/track.js';
import { defaultDeps } from '../core/deps.js';

export const retentionDays = (): number => boundedParam(ANALYTICS_RETENTION_DAYS, RETENTION_DAYS);

export function analyticsDeps(): AnalyticsDeps {
  return { ...defaultDeps(), retentionDays: retentionDays() };
}
