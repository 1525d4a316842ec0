/**
 * Firestore's per-document limits, checked on every transformed document before anything is
 * written: size by Firestore's storage size formula (1 MiB), nesting depth (20), and index entries
 * (40,000). Sizes follow https://firebase.google.com/docs/firestore/storage-size; index entries
 * follow the automatic single-field indexing (two entries per indexed scalar, ascending and
 * descending, maps indexed through their subfields, one array-contains entry per distinct array
 * element) with the exemptions and composite indexes of firestore.indexes.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTimestampLike } from '@zhengrowth/model';

export const MAX_DOCUMENT_BYTES = 1_048_576;
export const MAX_DEPTH = 20;
export const MAX_INDEX_ENTRIES = 40_000;

export function stringSize(s: string): number {
  return Buffer.byteLength(s, 'utf8') + 1;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isTimestampLike(v);
}

export interface DocumentMeasure {
  /** Firestore's document size: name + fields + 32 bytes. */
  bytes: number;
  /** Deepest level of maps and arrays (a top-level field that is a map or array is level 1; scalars add nothing). */
  depth: number;
  /** Keys that start with `~`: JSON keys Firestore forbids, escaped (the model's encodeJson). */
  escapedKeys: number;
}

/** Size, depth and escaped keys of a document in one walk (the pre-flight measures every document). */
export function measureDocument(docPath: string, data: Record<string, unknown>): DocumentMeasure {
  const m: DocumentMeasure = { bytes: 0, depth: 0, escapedKeys: 0 };
  m.bytes = documentNameSize(docPath) + fieldsSize(data, 1, m) + 32;
  return m;
}

function fieldsSize(fields: Record<string, unknown>, level: number, m: DocumentMeasure): number {
  let n = 0;
  for (const k of Object.keys(fields)) {
    if (k.charCodeAt(0) === 0x7e) m.escapedKeys++;
    n += stringSize(k) + valueSize(fields[k], level, m);
  }
  return n;
}

function valueSize(v: unknown, level: number, m: DocumentMeasure): number {
  if (v === null || v === undefined) return 1;
  switch (typeof v) {
    case 'boolean':
      return 1;
    case 'number':
      return 8;
    case 'string':
      return stringSize(v);
    default:
      break;
  }
  if (Array.isArray(v)) {
    if (level > m.depth) m.depth = level;
    let n = 0;
    for (const item of v) n += valueSize(item, level + 1, m);
    return n;
  }
  if (isTimestampLike(v)) return 8;
  if (isMap(v)) {
    if (level > m.depth) m.depth = level;
    return fieldsSize(v, level + 1, m);
  }
  return 8;
}

/**
 * Document name size: every collection id and document id of the path (string size each) + 16.
 * The segments' bytes plus one each is the path's bytes (its slashes) plus one.
 */
export function documentNameSize(docPath: string): number {
  return 16 + Buffer.byteLength(docPath, 'utf8') + 1;
}

/** Firestore's document size: name + fields + 32 bytes. */
export function documentSize(docPath: string, data: Record<string, unknown>): number {
  return measureDocument(docPath, data).bytes;
}

/** Deepest level of maps and arrays (a top-level field that is a map or array is level 1; scalars add nothing). */
export function nestingDepth(data: Record<string, unknown>): number {
  return measureDocument('', data).depth;
}

interface FieldOverride {
  collectionGroup: string;
  fieldPath: string;
  indexes: Array<{ order?: string; arrayConfig?: string; queryScope?: string }>;
}
interface CompositeIndex {
  collectionGroup: string;
  fields: Array<{ fieldPath: string; order?: string; arrayConfig?: string }>;
}
export interface IndexConfig {
  overrides: Map<string, Map<string, FieldOverride>>;
  composites: Map<string, CompositeIndex[]>;
}

/** firestore.indexes.json of the repository (beside firebase.json), or no extra indexes when absent. */
export function loadIndexConfig(file?: string): IndexConfig {
  const config: IndexConfig = { overrides: new Map(), composites: new Map() };
  const found = file ?? findUp('firestore.indexes.json');
  if (!found || !fs.existsSync(found)) return config;
  const parsed = JSON.parse(fs.readFileSync(found, 'utf8')) as { indexes?: CompositeIndex[]; fieldOverrides?: FieldOverride[] };
  for (const o of parsed.fieldOverrides ?? []) {
    const m = config.overrides.get(o.collectionGroup) ?? new Map<string, FieldOverride>();
    m.set(o.fieldPath, o);
    config.overrides.set(o.collectionGroup, m);
  }
  for (const idx of parsed.indexes ?? []) {
    const list = config.composites.get(idx.collectionGroup) ?? [];
    list.push(idx);
    config.composites.set(idx.collectionGroup, list);
  }
  return config;
}

function findUp(name: string): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function distinctCount(items: readonly unknown[]): number {
  const seen = new Set<string>();
  for (const item of items) seen.add(canonical(item));
  return seen.size;
}

function canonical(v: unknown): string {
  if (isTimestampLike(v)) return `t:${v.seconds}.${v.nanoseconds}`;
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isMap(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return `${typeof v}:${String(v)}`;
}

/** Index entries a document of the collection group would make (an estimate as exact as the rules above). */
export function indexEntries(groupId: string, data: Record<string, unknown>, config: IndexConfig): number {
  const overrides = config.overrides.get(groupId);
  let n = 0;
  const walk = (v: unknown, fieldPath: string): void => {
    const o = overrides?.get(fieldPath);
    if (o) {
      // An override replaces the automatic indexes of this field (and of its subfields).
      for (const idx of o.indexes) {
        if (idx.queryScope === 'COLLECTION_GROUP' || idx.queryScope === undefined || idx.queryScope === 'COLLECTION') {
          n += idx.arrayConfig ? (Array.isArray(v) ? distinctCount(v) : 0) : 1;
        }
      }
      return;
    }
    if (Array.isArray(v)) n += distinctCount(v);
    else if (isMap(v)) for (const k of Object.keys(v)) walk(v[k], fieldPath ? `${fieldPath}.${k}` : k);
    else n += 2;
  };
  for (const k of Object.keys(data)) walk(data[k], k);
  for (const idx of config.composites.get(groupId) ?? []) {
    let entries = 1;
    for (const f of idx.fields) if (f.arrayConfig) entries *= Math.max(1, Array.isArray(data[f.fieldPath]) ? distinctCount(data[f.fieldPath] as unknown[]) : 0);
    n += entries;
  }
  return n;
}
