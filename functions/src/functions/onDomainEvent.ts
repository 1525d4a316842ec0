import { onDocumentCreated } from 'firebase-functions/v2/firestore';
import { domainEvents } from '@zhengrowth/model';
import { defaultDeps } from '../core/deps.js';
import { modelData } from '../core/trigger.js';
import { followDomainEvent } from '../events/follow.js';

/** `onDomainEvent`: each new domain event (signup, lead_created, purchase, …) to its followers: referral codes, funnels, badges. */
export const onDomainEvent = onDocumentCreated({ document: domainEvents.template, retry: true, timeoutSeconds: 60 }, async (event) => {
  const fact = modelData(domainEvents, event.data, 'onDomainEvent');
  // The event document's id is the fact's own (type:subject:user): redeliveries and rewrites share it.
  if (fact) await followDomainEvent(defaultDeps(), event.params.eventId, fact);
});
