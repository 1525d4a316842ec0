/**
 * The every-minute sweep of the queue: items whose time has come (scheduled for later, or waiting
 * for a retry) and items whose worker's lease ran out (a crash). Each goes through processEmail,
 * whose lease makes an overlapping run, or the trigger at the same moment, harmless.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions/logger';
import { emailQueueDue, emailQueueLeaseExpired } from '@zhengrowth/model';
import { buildQuery } from '../../core/query.js';
import type { EmailDeps } from './deps.js';
import { processEmail, type EmailOutcome } from './send.js';

export interface SweepOptions {
  /** Items read per query and round. */
  pageSize: number;
  /** E-mails in flight at once. */
  concurrency: number;
  /** Stop starting new items after this long (the schedule runs again in a minute). */
  budgetMs: number;
}

export const DEFAULT_SWEEP_OPTIONS: SweepOptions = { pageSize: 200, concurrency: 8, budgetMs: 45_000 };

export type SweepReport = Partial<Record<EmailOutcome, number>> & { examined: number };

async function dueIds(deps: EmailDeps, pageSize: number): Promise<string[]> {
  const now = Timestamp.fromDate(deps.now());
  const [due, stale] = await Promise.all([
    buildQuery(deps.db, emailQueueDue, ['pending', now]).limit(pageSize).select().get(),
    buildQuery(deps.db, emailQueueLeaseExpired, ['sending', now]).limit(pageSize).select().get(),
  ]);
  return [...new Set([...stale.docs, ...due.docs].map((d) => d.id))];
}

export async function sweepEmailQueue(deps: EmailDeps, options: SweepOptions = DEFAULT_SWEEP_OPTIONS): Promise<SweepReport> {
  const started = Date.now();
  const report: SweepReport = { examined: 0 };
  const seen = new Set<string>();
  while (Date.now() - started < options.budgetMs) {
    const ids = (await dueIds(deps, options.pageSize)).filter((id) => !seen.has(id));
    if (ids.length === 0) break;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length && Date.now() - started < options.budgetMs) {
        const id = ids[next++] as string;
        seen.add(id);
        report.examined += 1;
        const outcome = await processEmail(deps, id).catch((err: unknown) => {
          logger.error('e-mail attempt failed', { emailId: id, error: err instanceof Error ? err.name : typeof err });
          return 'retry_later' as const;
        });
        report[outcome] = (report[outcome] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  }
  if (report.examined > 0) logger.info('e-mail queue swept', { ...report });
  return report;
}
