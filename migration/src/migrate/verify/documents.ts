/**
 * Expected documents against Firestore, a batch at a time: each read back and compared field by
 * field (Timestamps to the nanosecond), and every jsonb field also decoded back with the model's
 * decodeJson and compared with the source's JSON, independently of the transform.
 */
import { decodeJson, type AnyCollection, type JsonValue } from '@zhengrowth/model';
import type { DocumentSnapshot, Firestore } from 'firebase-admin/firestore';
import type { DocWrite } from '../transform/index.js';
import { firstDifference, show, valueAt } from './compare.js';
import type { VerifyTally } from './report.js';

export interface Expectation {
  /** For messages: the table and key of the item (users: the user id). */
  table: string;
  key: string;
  /** The source rows this document stands for (a users/{uid} document: the profile and role rows). */
  rows: Array<{ table: string; key: string }>;
  doc: DocWrite;
  /** jsonb fields to decode back and compare with the source text. */
  json: Array<{ field: string; text: string }>;
}

/** The paths every source row accounts for, per collection template (what is not among them is an extra). */
export class ExpectedPaths {
  readonly byTemplate = new Map<string, Set<string>>();

  add(c: AnyCollection, path: string): void {
    const set = this.byTemplate.get(c.template) ?? new Set<string>();
    set.add(path);
    this.byTemplate.set(c.template, set);
  }
}

function jsonDifference(e: Expectation, actual: Record<string, unknown>): { field: string; expected: string; actual: string } | null {
  for (const j of e.json) {
    let decoded: JsonValue | undefined;
    try {
      decoded = decodeJson(actual[j.field]);
    } catch {
      decoded = undefined;
    }
    const original: unknown = JSON.parse(j.text);
    if (firstDifference(original, decoded) !== null) return { field: `${j.field} (decoded)`, expected: show(original), actual: show(decoded) };
  }
  return null;
}

/** Reads the batch's documents and records, per source row, matched, mismatched or missing. */
export async function checkDocuments(db: Firestore, batch: Expectation[], tally: VerifyTally): Promise<void> {
  if (batch.length === 0) return;
  const snaps: DocumentSnapshot[] = await db.getAll(...batch.map((e) => db.doc(e.doc.path)));
  const byPath = new Map(snaps.map((s) => [s.ref.path, s]));
  // A row is matched when every document it became matches.
  const verdict = new Map<string, 'matched' | 'mismatched' | 'missing'>();
  const mark = (e: Expectation, v: 'mismatched' | 'missing'): void => {
    for (const r of e.rows) {
      const id = `${r.table}\u0000${r.key}`;
      if (verdict.get(id) !== 'missing') verdict.set(id, v);
    }
  };
  for (const e of batch) {
    for (const r of e.rows) if (!verdict.has(`${r.table}\u0000${r.key}`)) verdict.set(`${r.table}\u0000${r.key}`, 'matched');
    const snap = byPath.get(e.doc.path);
    if (!snap?.exists) {
      mark(e, 'missing');
      tally.missing({ table: e.table, key: e.key, path: e.doc.path, reason: 'no such document' });
      continue;
    }
    const actual = snap.data() as Record<string, unknown>;
    const diff = firstDifference(e.doc.data, actual);
    const found =
      diff !== null
        ? {
            field: diff || '(document)',
            expected: show(diff === '' ? e.doc.data : valueAt(e.doc.data, diff)),
            actual: show(diff === '' ? actual : valueAt(actual, diff)),
          }
        : jsonDifference(e, actual);
    if (found) {
      mark(e, 'mismatched');
      tally.mismatch({ table: e.table, key: e.key, path: e.doc.path, ...found });
    }
  }
  for (const [id, v] of verdict) tally.table(id.slice(0, id.indexOf('\u0000')))[v]++;
}
