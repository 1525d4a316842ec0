import { z } from 'zod';
import { defineCollection } from '../collection.js';
import { id, int, json, stringArray, timestamp, uid } from '../primitives.js';

export const leadSchema = z.strictObject({
  email: z.string(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  source: z.string().nullable(),
  stage: z.string().nullable(),
  status: z.string().nullable(),
  owner: uid.nullable(),
  tags: stringArray.nullable(),
  notes: z.string().nullable(),
  score: int.nullable(),
  metadata: json.nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
  last_contacted_at: timestamp.nullable(),
});
export type LeadDoc = z.infer<typeof leadSchema>;
export const leads = defineCollection({
  collection: 'leads',
  idParam: 'leadId',
  schema: leadSchema,
  sources: ['leads'],
  access: 'staff',
  idFrom: 'leads.id; a lead made from a form: sha256 of its lower-cased e-mail (one lead per address)',
  description: 'Marketing leads, one per lower-cased e-mail: forms (lead_forms, `submitLead`) are folded in by the server; coaches and admins read and update.',
});

export const funnelSchema = z.strictObject({
  name: z.string(),
  slug: z.string(),
  trigger_event: z.string().nullable(),
  active: z.boolean().nullable(),
  metadata: json.nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
});
export const funnels = defineCollection({
  collection: 'funnels',
  idParam: 'funnelId',
  schema: funnelSchema,
  sources: ['funnels'],
  access: 'staff',
  idFrom: 'funnels.id',
  description: 'Marketing funnel definitions; admins manage them.',
});

export const funnelStageSchema = z.strictObject({
  funnel_id: id,
  name: z.string(),
  order: int,
  action_type: z.string().nullable(),
  action_config: json.nullable(),
  delay_hours: int.nullable(),
});
export const funnelStages = defineCollection({
  collection: 'funnels/{funnelId}/stages',
  idParam: 'stageId',
  schema: funnelStageSchema,
  sources: ['funnel_stages'],
  access: 'staff',
  idFrom: 'funnel_stages.id',
  description: 'Ordered stages of a funnel.',
});
