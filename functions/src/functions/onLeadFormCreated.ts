import { onDocumentCreated } from 'firebase-functions/v2/firestore';
import { leadForms } from '@zhengrowth/model';
import { modelData } from '../core/trigger.js';
import { foldLeadForm } from '../leads/fold.js';
import { leadDeps, LEAD_SECRETS } from './leads-config.js';

/** `onLeadFormCreated`: a public form (lead_forms, written by submitLead) folded into its lead, once, if submitLead did not. */
export const onLeadFormCreated = onDocumentCreated({ document: leadForms.template, retry: true, timeoutSeconds: 60, secrets: LEAD_SECRETS }, async (event) => {
  const form = modelData(leadForms, event.data, 'onLeadFormCreated');
  if (form) await foldLeadForm(leadDeps(), event.params.formId, form);
});
