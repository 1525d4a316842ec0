/**
 * A lead's history entry: every kind has the same fields, most of them blank. One place fills the
 * blanks, so each writer names only what its kind says.
 */
import type { Timestamp } from 'firebase-admin/firestore';
import type { LeadHistoryDoc } from '@zhengrowth/model';

export function historyEntry(kind: LeadHistoryDoc['kind'], at: Timestamp, fields: Partial<Omit<LeadHistoryDoc, 'kind' | 'at'>>): LeadHistoryDoc {
  return { kind, at, form_id: null, email: null, name: null, phone: null, source: null, filled: [], owner: null, ...fields };
}
