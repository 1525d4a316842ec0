import { z } from 'zod';
import { clientWriteSchema, settingsJson, tagList, text, TEXT, utmWrite } from '../client-writes.js';
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

/** The fixed form of a lead's metadata as clients write it: where the lead came from. */
export const leadMetadataWrite = z.strictObject({ utm: utmWrite }).partial();
export const leadWrite = clientWriteSchema(leadSchema, {
  email: text(320),
  name: text(TEXT.name).nullable(),
  phone: text(50).nullable(),
  source: text(100).nullable(),
  stage: text(TEXT.code).nullable(),
  status: text(TEXT.code).nullable(),
  tags: tagList(8).nullable(),
  notes: text(TEXT.long).nullable(),
  metadata: leadMetadataWrite.nullable(),
});
export const leads = defineCollection({
  collection: 'leads',
  idParam: 'leadId',
  schema: leadSchema,
  sources: ['leads'],
  access: 'staff',
  idFrom: 'leads.id; a lead made from a form: sha256 of its lower-cased e-mail (one lead per address)',
  description: 'Marketing leads, one per lower-cased e-mail: forms (lead_forms, `submitLead`) are folded in by the server; coaches and admins read and update.',
  clientWrite: leadWrite,
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
  clientWrite: clientWriteSchema(funnelSchema, {
    name: text(TEXT.name),
    slug: text(TEXT.name),
    trigger_event: text(100).nullable(),
    metadata: settingsJson.nullable(),
  }),
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
  clientWrite: clientWriteSchema(funnelStageSchema, { name: text(TEXT.name), action_type: text(TEXT.code).nullable(), action_config: settingsJson.nullable() }),
});
