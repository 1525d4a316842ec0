import { serverTimestamp, type Firestore } from 'firebase/firestore';
import { leads, leadWrite, type SchemaInput } from '@zhengrowth/model';
import { addModelDoc, modelCollection } from './refs.js';

/** What a public form collects; everything else of a lead is the staff's (stage, owner, score…). */
export const leadInput = leadWrite.pick({ email: true, name: true, phone: true, source: true }).partial({ name: true, phone: true, source: true });

/** A lead from a public form (signed in or not): the rules accept exactly this shape, stamped with the server's clock. */
export async function submitLead(db: Firestore, lead: SchemaInput<typeof leadInput>): Promise<void> {
  const l = leadInput.parse(lead);
  await addModelDoc(modelCollection(db, leads, {}), {
    email: l.email,
    name: l.name ?? null,
    phone: l.phone ?? null,
    source: l.source ?? null,
    stage: 'new',
    status: 'active',
    owner: null,
    tags: [],
    notes: null,
    score: 0,
    metadata: null,
    created_at: serverTimestamp(),
    updated_at: serverTimestamp(),
    last_contacted_at: null,
  });
}
