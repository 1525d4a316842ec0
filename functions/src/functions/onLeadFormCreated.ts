import { onDocumentCreated } from 'firebase-functions/v2/firestore';
import { leadForms } from '@zhengrowth/model';
import { defaultDeps } from '../core/deps.js';
import { modelData } from '../core/trigger.js';
import { foldLeadForm } from '../leads/fold.js';

/** `onLeadFormCreated`: a public form (lead_forms, written under the rules or by submitLead) folded into its lead, once. */
export const onLeadFormCreated = onDocumentCreated({ document: leadForms.template, retry: true, timeoutSeconds: 60 }, async (event) => {
  const form = modelData(leadForms, event.data, 'onLeadFormCreated');
  if (form) await foldLeadForm(defaultDeps(), event.params.formId, form);
});
