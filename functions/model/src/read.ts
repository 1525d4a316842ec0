import type { AnyCollection, DocOf } from './collection.js';

/** A document snapshot of either SDK (firebase-admin or the web SDK), as far as reading needs it. */
export interface SnapshotLike {
  readonly id: string;
  readonly ref: { readonly path: string };
  data(): unknown;
}

export interface GoodDoc<T> {
  id: string;
  path: string;
  data: T;
}

/** A document that does not match its schema: where it is and what is wrong, never its data. */
export interface BadDoc {
  id: string;
  path: string;
  error: string;
}

export interface DocsSplit<T> {
  /** The documents that match the model, in the order given. */
  docs: Array<GoodDoc<T>>;
  /** Those that do not (written before a schema change, by a bug, or placed past the rules). */
  invalid: BadDoc[];
}

/** The first problems of a failed check, as `field.path: message` (no values: they may be personal data). */
function problems(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(document)'}: ${i.message}`)
    .join('; ');
}

/** One document checked against its collection's schema: its data, or why it cannot be read. */
export function parseDoc<C extends AnyCollection>(collection: C, snap: SnapshotLike): { ok: true; data: DocOf<C> } | { ok: false; bad: BadDoc } {
  const checked = collection.schema.safeParse(snap.data());
  if (checked.success) return { ok: true, data: checked.data as DocOf<C> };
  return { ok: false, bad: { id: snap.id, path: snap.ref.path, error: problems(checked.error.issues) } };
}

/**
 * The tolerant read of a list: good documents apart from bad ones. Every reader that lists documents
 * (the web app's lists, the server's admin lists and webhook reads) goes through this, so one
 * document the model cannot read is skipped and reported instead of failing the whole request.
 */
export function splitDocs<C extends AnyCollection>(collection: C, snaps: Iterable<SnapshotLike>): DocsSplit<DocOf<C>> {
  const out: DocsSplit<DocOf<C>> = { docs: [], invalid: [] };
  for (const snap of snaps) {
    const r = parseDoc(collection, snap);
    if (r.ok) out.docs.push({ id: snap.id, path: snap.ref.path, data: r.data });
    else out.invalid.push(r.bad);
  }
  return out;
}
