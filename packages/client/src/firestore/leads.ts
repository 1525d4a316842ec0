import { serverTimestamp, type Firestore } from 'firebase/firestore';
import { leadForms, leadFormWrite, type SchemaInput } from '@zhengrowth/model';
import { addModelDoc, modelCollection } from './refs.js';

/** What a public form collects; everything else of a lead is the staff's (stage, owner, score…). */
export const leadInput = leadFormWrite.pick({ email: true, name: true, phone: true, source: true }).partial({ name: true, phone: true, source: true });

/**
 * A public lead form (signed in or not), as the rules accept it: the server folds it into the one
 * lead of its lower-cased e-mail (a newer form fills blanks). `api.submitLead` does the same through
 * a callable (rate-limited, App Check when enforced); either is fine.
 */
export async function submitLead(db: Firestore, lead: SchemaInput<typeof leadInput>, uid: string | null = null): Promise<void> {
  const l = leadInput.parse(lead);
  await addModelDoc(modelCollection(db, leadForms, {}), {
    email: l.email,
    name: l.name ?? null,
    phone: l.phone ?? null,
    source: l.source ?? null,
    user_id: uid,
    created_at: serverTimestamp(),
  });
}
