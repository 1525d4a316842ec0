/** The e-mail queue's trigger handler, over (event, deps): the wiring (functions/sendQueuedEmail.ts) only adapts the event. */
import type { EmailDeps } from './deps.js';
import { processEmail, type EmailOutcome } from './send.js';

export interface QueuedEmailEvent {
  params: { emailId: string };
}

/**
 * A created queue item: sent now if it is due (an item for later waits for the sweep). Safe to run
 * twice, or beside the sweep: the lease decides who sends.
 */
export async function onQueuedEmail(event: QueuedEmailEvent, deps: EmailDeps): Promise<EmailOutcome> {
  return processEmail(deps, event.params.emailId);
}
