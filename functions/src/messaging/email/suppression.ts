/**
 * The suppression list: addresses the sender skips. `all` (a hard bounce or a complaint: nothing
 * more goes there) and `marketing` (an unsubscribe: receipts and password resets still go). One
 * document per address and scope, under a hash of the lower-case address.
 */
import { createHash } from 'node:crypto';
import { Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { emailSuppressions, type EmailCategory, type EmailSuppressionDoc, type SuppressionScope } from '@zhengrowth/model';
import { txCreate } from '../../core/firestore.js';

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export function suppressionRef(db: Firestore, email: string, scope: SuppressionScope): DocumentReference<EmailSuppressionDoc> {
  const hash = createHash('sha256').update(normalizeEmail(email)).digest('hex').slice(0, 40);
  return db.doc(emailSuppressions.docPath({ suppressionId: `${scope}-${hash}` })).withConverter(emailSuppressions.converter);
}

/** The scopes that stop an e-mail of this category. */
export const scopesFor = (category: EmailCategory): SuppressionScope[] => (category === 'marketing' ? ['all', 'marketing'] : ['all']);

/** The suppression that stops this e-mail, if any: read by `reader`, the database or a transaction. */
export async function suppressedBy(
  reader: Pick<Firestore, 'getAll'> | Pick<Transaction, 'getAll'>,
  db: Firestore,
  email: string,
  category: EmailCategory,
): Promise<EmailSuppressionDoc | null> {
  const refs = scopesFor(category).map((s) => suppressionRef(db, email, s));
  // Both readers answer the refs' converted type; the union of their signatures loses it.
  const snaps = (await reader.getAll(...refs)) as Array<DocumentSnapshot<EmailSuppressionDoc>>;
  for (const s of snaps) if (s.exists) return s.data() ?? null;
  return null;
}

/** A new suppression (the caller checked, in its transaction, that the address is not listed in this scope). */
export function writeSuppression(tx: Transaction, db: Firestore, entry: Pick<EmailSuppressionDoc, 'email' | 'scope' | 'reason' | 'source'>, now: Date): void {
  txCreate(tx, suppressionRef(db, entry.email, entry.scope), { ...entry, email: normalizeEmail(entry.email), created_at: Timestamp.fromDate(now) });
}
