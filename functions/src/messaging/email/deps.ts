import type { Deps } from '../../core/deps.js';
import type { EmailGateway } from './gateway.js';
import type { RetryPolicy } from './retry.js';
import type { TemplateStore } from './template-store.js';

/** What the e-mail sender needs beyond Firestore and a clock. */
export interface EmailDeps extends Deps {
  /** Built on first use: the API key is a secret, there only at run time. */
  gateway: () => EmailGateway;
  templates: TemplateStore;
  /** "ZhenGrowth <hello@zhengrowth.com>" (EMAIL_FROM). */
  from: string;
  /** EMAIL_REPLY_TO; empty: none. */
  replyTo: string;
  retry: RetryPolicy;
  /** How long a worker holds an item it is sending; past it, another worker takes over. */
  leaseMs: number;
  /** How long an attempt's log is kept (EMAIL_LOG_RETENTION_DAYS): Firestore's TTL deletes it after. */
  logRetentionDays: number;
  /** Marketing e-mails: the unsubscribe endpoint's URL and the key that signs its tokens. */
  unsubscribe: { url: string; secret: string };
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Tests: runs after Resend answered and before the queue item records it (a crash there). */
  afterSend?: (emailId: string) => Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
