/** The coach's workspace: their clients at a glance, and a nudge to one of them. */
import { z } from 'zod';
import { LEAD_STAGES } from '../collections/growth.js';
import { defineCallable } from './contract.js';
import { uidInput } from './accounts.js';
import { docIdInput, isoTime } from './common.js';
import { leadFormInput } from './growth.js';

const sessionGlance = z.strictObject({ session_id: z.string(), session_date: isoTime, status: z.string().nullable() });

export const listMyClients = defineCallable({
  name: 'listMyClients',
  access: 'staff',
  description:
    'The calling coach’s clients (those assigned to them), each with their next and last session with this coach, their open goals and the open action items of this coach’s sessions; at most 200, by name.',
  input: z.strictObject({}),
  output: z.strictObject({
    clients: z.array(
      z.strictObject({
        uid: z.string(),
        name: z.string().nullable(),
        email: z.string().nullable(),
        next_session: sessionGlance.nullable(),
        last_session: sessionGlance.nullable(),
        open_goals: z.int().min(0),
        open_action_items: z.int().min(0),
      }),
    ),
  }),
});

export const nudgeClient = defineCallable({
  name: 'nudgeClient',
  access: 'staff',
  description:
    'A coach’s nudge to one of their clients (assigned, or with an upcoming session with them that the client booked): an inbox item, pushed to the client’s devices. At most three a day per coach and client; refused for anyone who is not the coach’s client.',
  input: z.strictObject({
    client_uid: uidInput,
    message: z.string().trim().min(1).max(500),
    action_url: z
      .string()
      .trim()
      .regex(/^\/[^\s]{0,499}$/, 'a path of the web app, starting with /')
      .optional(),
  }),
  output: z.strictObject({ item_id: z.string() }),
});

export const addLead = defineCallable({
  name: 'addLead',
  access: 'staff',
  description:
    'A lead entered by a coach or admin (met at an event, a call): folded like a public form into the one lead of its lower-cased e-mail, with who entered it in the lead’s history; a new lead records lead_created, its address is asked to confirm (double opt-in) before any funnel e-mail, and a coach who enters a lead owns it. The one way a lead is made by hand (the rules refuse direct creates).',
  input: leadFormInput,
  output: z.strictObject({ lead_id: z.string(), created: z.boolean() }),
});

export const moveLead = defineCallable({
  name: 'moveLead',
  access: 'staff',
  description:
    'Moves a lead through the pipeline (new → contacted → qualified → proposal → won or lost; lost may start again as new): only the allowed moves, each recorded in the lead’s history with who moved it and why. The one way a lead’s stage changes (the rules keep it on direct writes).',
  input: z.strictObject({ lead_id: docIdInput, stage: z.enum(LEAD_STAGES), note: z.string().trim().min(1).max(1000).optional() }),
  output: z.strictObject({ lead_id: z.string(), stage: z.enum(LEAD_STAGES), changed: z.boolean() }),
});
