/**
 * The poisoning sweep: for every collection a client writes, from its client-write schema (the
 * model's clientWrite, which the rules' write<Collection> functions are generated from):
 *   - the maximal valid document (every optional key, every string, list and map at its bound,
 *     every union alternative across the variants) is ALLOWED, created by an actor the policy lets;
 *   - every poisoned variant of it (write-samples.ts: wrong element types in every list,
 *     Timestamps, NaN, ±Infinity, GeoPoints, bytes and references anywhere, one character, element
 *     or key too many, maps nested where a scalar belongs) is DENIED, by create (set);
 *   - on an existing document, each field the updater may change takes a valid new value
 *     (ALLOWED) and every poisoned value is DENIED, by update and by set, and the field transforms
 *     are held to the same standard: arrayUnion of a wrong element or past the bound, increment
 *     to a fraction, past 2^53 or to NaN, serverTimestamp() inside a json field.
 * What a case expects is asserted one by one, so a failure names the field and the poison.
 */
import {
  aiSuggestions,
  appVersions,
  badges,
  blogPosts,
  blogTemplates,
  calEventTypes,
  communityComments,
  communityPosts,
  communityReports,
  coupons,
  emailTemplates,
  eventPrices,
  events,
  experimentAssignments,
  experiments,
  funnelProgress,
  funnels,
  funnelStages,
  goals,
  i18nDict,
  inbox,
  leads,
  lessonProgress,
  lessonMedia,
  lessons,
  offers,
  pushSubscriptions,
  referrals,
  remoteFlags,
  sessions,
  socialPosts,
  userBadges,
  users,
  type AnyCollection,
} from '@zhengrowth/model';
import {
  arrayUnion,
  deleteDoc,
  doc,
  getDoc,
  increment,
  serverTimestamp,
  setDoc,
  Timestamp,
  updateDoc,
  type DocumentReference,
  type Firestore,
} from 'firebase/firestore';
import type { z } from 'zod';
import { A, COACH, type ActorId } from './actors.js';
import { rowId } from './fixture.js';
import { hasUnion, isStructured, maximal, poisons, replaceAt, unwrapped, WORST_CASE } from './write-samples.js';

export interface SweepTarget {
  collection: AnyCollection;
  /** Who creates the sweep's documents; null: clients never create them (`existing` is used). */
  creator: ActorId | null;
  /** The path of the sweep's document, for a distinguishing suffix. */
  path: (suffix: string) => string;
  /** Values the hand-written rules pin (owner ids, the server's clock, counters at 0). */
  fixed?: Record<string, unknown>;
  /** Who updates; null: no client updates. */
  updater: ActorId | null;
  /** Fields the update rules keep unchanged (keeps([...])). */
  frozen?: readonly string[];
  /** Only these fields may change on update (default: every client-writable field not frozen). */
  updatable?: readonly string[];
  /** An existing document to update when there is no client create (its path is path('')). */
  existing?: string;
  /** Fields that hold the document's own id (the rules compare them with the path). */
  idFields?: readonly string[];
}

const NOW = serverTimestamp();
const P = rowId('community_posts', 'a');
const E = rowId('events_catalog', 'live');
const F = rowId('funnels', 'welcome');
const sweep = (s: string): string => `sweep${s}`;

export const SWEEP: readonly SweepTarget[] = [
  { collection: users, creator: null, existing: `users/${A.uid}`, path: () => `users/${A.uid}`, updater: 'clientA' },
  {
    collection: userBadges,
    creator: 'admin',
    path: (s) => `users/${A.uid}/badges/${sweep(s)}`,
    fixed: { user_id: A.uid },
    updater: 'admin',
    frozen: ['user_id'],
  },
  {
    collection: goals,
    creator: 'clientA',
    path: (s) => `users/${A.uid}/goals/${sweep(s)}`,
    fixed: { user_id: A.uid },
    updater: 'clientA',
    frozen: ['user_id', 'created_at'],
  },
  {
    collection: sessions,
    creator: 'coach',
    path: (s) => `users/${A.uid}/sessions/${sweep(s)}`,
    fixed: { user_id: A.uid, coach_id: COACH.uid },
    updater: 'coach',
    frozen: ['user_id', 'coach_id', 'created_at'],
  },
  {
    collection: lessonProgress,
    creator: 'clientA',
    path: (s) => `users/${A.uid}/lesson_progress/${sweep(s)}`,
    // Completion is the server's (recordLessonProgress): a client's document starts uncompleted.
    fixed: { user_id: A.uid, completed: false, completion_date: null, progress_percent: null },
    idFields: ['id', 'lesson_id'],
    updater: 'clientA',
    frozen: ['id', 'user_id', 'lesson_id', 'completed', 'completion_date', 'progress_percent'],
  },
  {
    collection: inbox,
    creator: 'coach',
    path: (s) => `users/${A.uid}/inbox/${sweep(s)}`,
    fixed: { user_id: A.uid },
    updater: 'clientA',
    updatable: ['read', 'read_at'],
  },
  {
    collection: pushSubscriptions,
    creator: 'clientA',
    path: (s) => `users/${A.uid}/push_subscriptions/${sweep(s)}`,
    fixed: { user_id: A.uid },
    updater: 'clientA',
    frozen: ['user_id', 'created_at'],
  },
  {
    collection: funnelProgress,
    creator: 'admin',
    path: (s) => `users/${A.uid}/funnel_progress/${sweep(s)}`,
    fixed: { user_id: A.uid },
    updater: 'admin',
    frozen: ['user_id'],
  },
  {
    collection: referrals,
    creator: 'admin',
    path: (s) => `users/${A.uid}/referrals/${sweep(s)}`,
    fixed: { referrer_id: A.uid },
    updater: 'admin',
    frozen: ['referrer_id', 'created_at'],
  },
  {
    collection: socialPosts,
    creator: 'clientA',
    path: (s) => `users/${A.uid}/social_posts/${sweep(s)}`,
    // Clients write drafts only: the publisher's fields stay empty and the status stays `draft`.
    fixed: { user_id: A.uid, status: 'draft', published_at: null, platform_post_id: null, error: null },
    updater: 'clientA',
    frozen: ['user_id', 'created_at', 'status', 'published_at', 'platform_post_id', 'error'],
  },
  {
    collection: aiSuggestions,
    creator: 'admin',
    path: (s) => `users/${A.uid}/ai_suggestions/${sweep(s)}`,
    fixed: { user_id: A.uid },
    updater: 'admin',
    frozen: ['user_id', 'profile_id', 'created_at'],
  },
  {
    collection: blogPosts,
    creator: 'admin',
    path: (s) => `blog_posts/${sweep(s)}`,
    fixed: { view_count: 0 },
    updater: 'admin',
    frozen: ['id', 'created_at', 'view_count'],
  },
  // Created by an admin callable that claims the unique value (issue 14): clients only update them.
  {
    collection: blogTemplates,
    creator: null,
    existing: `blog_templates/${rowId('blog_templates', 'x')}`,
    path: () => `blog_templates/${rowId('blog_templates', 'x')}`,
    updater: 'admin',
    frozen: ['created_at', 'platform', 'locale', 'name'],
  },
  { collection: lessons, creator: 'admin', path: (s) => `lessons/${sweep(s)}`, updater: 'admin', frozen: ['created_at'] },
  { collection: lessonMedia, creator: 'admin', path: (s) => `lesson_media/${sweep(s)}`, updater: 'admin' },
  { collection: offers, creator: 'admin', path: (s) => `offers/${sweep(s)}`, updater: 'admin', frozen: ['created_at'] },
  { collection: calEventTypes, creator: 'admin', path: (s) => `cal_event_types/${sweep(s)}`, updater: 'admin', frozen: ['created_at'] },
  {
    collection: coupons,
    creator: null,
    existing: `coupons/${rowId('coupons', 'fixed')}`,
    path: () => `coupons/${rowId('coupons', 'fixed')}`,
    updater: 'admin',
    frozen: ['code', 'uses_count', 'reserved_count', 'created_at'],
  },
  {
    collection: events,
    creator: 'admin',
    path: (s) => `events/${sweep(s)}`,
    fixed: { registered_count: 0 },
    updater: 'admin',
    frozen: ['registered_count', 'created_at'],
  },
  {
    collection: eventPrices,
    creator: 'admin',
    path: (s) => `events/${E}/prices/${sweep(s)}`,
    fixed: { event_id: E },
    updater: 'admin',
    frozen: ['event_id'],
  },
  {
    collection: leads,
    creator: null,
    existing: `leads/${rowId('leads', 'coachs')}`,
    path: () => `leads/${rowId('leads', 'coachs')}`,
    updater: 'coach',
    frozen: ['created_at', 'stage'],
  },
  { collection: funnels, creator: 'admin', path: (s) => `funnels/${sweep(s)}`, updater: 'admin', frozen: ['created_at'] },
  {
    collection: funnelStages,
    creator: 'admin',
    path: (s) => `funnels/${F}/stages/${sweep(s)}`,
    fixed: { funnel_id: F },
    updater: 'admin',
    frozen: ['funnel_id'],
  },
  {
    collection: experiments,
    creator: null,
    existing: `experiments/${rowId('experiments', 'on')}`,
    path: () => `experiments/${rowId('experiments', 'on')}`,
    updater: 'admin',
    frozen: ['created_at', 'key'],
  },
  { collection: experimentAssignments, creator: 'admin', path: (s) => `experiment_assignments/${sweep(s)}`, updater: 'admin' },
  // A member's new post or comment goes through createPost / addComment (issue 15); the staff create
  // them under the rules, and edit them to the full client-write bounds (an author's edit has tighter
  // text limits and is tried in the parity test's poisoning case).
  {
    collection: communityPosts,
    creator: 'coach',
    path: (s) => `community_posts/${sweep(s)}`,
    fixed: { author_id: A.uid, likes_count: 0, comments_count: 0, created_at: NOW },
    updater: 'coach',
    frozen: ['author_id', 'likes_count', 'comments_count', 'created_at'],
  },
  {
    collection: communityComments,
    creator: 'coach',
    path: (s) => `community_posts/${P}/comments/${sweep(s)}`,
    fixed: { post_id: P, author_id: A.uid, likes_count: 0, created_at: NOW },
    updater: 'coach',
    frozen: ['post_id', 'author_id', 'likes_count', 'created_at'],
  },
  {
    collection: communityReports,
    creator: 'clientA',
    path: (s) => `community_reports/${sweep(s)}`,
    fixed: { reporter_id: A.uid, content_type: 'post', status: 'pending', reviewed_by: null, reviewed_at: null, action_taken: null, created_at: NOW },
    updater: 'coach',
    frozen: ['reporter_id', 'created_at'],
  },
  { collection: remoteFlags, creator: 'admin', path: (s) => `remote_flags/${sweep(s)}`, updater: 'admin' },
  {
    collection: i18nDict,
    creator: null,
    existing: `i18n_dict/${rowId('i18n_dict', 'en')}`,
    path: () => `i18n_dict/${rowId('i18n_dict', 'en')}`,
    updater: 'admin',
    frozen: ['lang', 'ns', 'key'],
  },
  // A language version must live at `{slug}.{lang}` (templateIdFits); the sweep writes language-less
  // (migrated-form) templates, and the parity test checks the language versions and their values.
  {
    collection: emailTemplates,
    creator: 'admin',
    path: (s) => `email_templates/${sweep(s)}`,
    fixed: { lang: null },
    updater: 'admin',
    frozen: ['created_at', 'lang'],
  },
  { collection: badges, creator: 'admin', path: (s) => `badges/${sweep(s)}`, updater: 'admin' },
  { collection: appVersions, creator: 'admin', path: (s) => `zg_versions/${sweep(s)}`, updater: 'admin', frozen: ['created_at'] },
];

/** Variants 0..3 write every alternative of the unions (the widest has four: string, number, boolean, null). */
export const VARIANTS = 4;

export interface SweepDeps {
  db(actor: ActorId): Firestore;
  /** Runs with the rules off (cleanup, the document a client cannot create). */
  unchecked<T>(fn: (db: Firestore) => Promise<T>): Promise<T>;
}

/** One sweep outcome that differs from what it should be. */
export interface SweepProblem {
  case: string;
  expected: 'allow' | 'deny';
  got: string;
}

export interface SweepReport {
  allowed: number;
  denied: number;
  problems: SweepProblem[];
}

function writeShape(c: AnyCollection): Record<string, z.ZodType> {
  if (!c.clientWrite) throw new Error(`${c.template} has no clientWrite schema`);
  return c.clientWrite.shape;
}

/** The maximal valid document of a target at `path`, with the values its rules pin. */
export function maximalDoc(target: SweepTarget, variant: number, path: string, compact = false): Record<string, unknown> {
  const shape = writeShape(target.collection);
  const out: Record<string, unknown> = {};
  for (const [field, t] of Object.entries(shape)) out[field] = maximal(t, variant, compact);
  const id = path.split('/').pop() as string;
  for (const f of target.idFields ?? []) out[f] = id;
  return { ...out, ...target.fixed };
}

/**
 * The fields an update sweep changes: every list, map and json field and every number (the field
 * transforms), and the first text field. Plain fields are judged by the same generated check on
 * create, where the sweep tries all of them.
 */
function updatableFields(target: SweepTarget): string[] {
  const shape = writeShape(target.collection);
  const fields = (target.updatable ?? Object.keys(shape)).filter((f) => !(target.frozen ?? []).includes(f));
  const kind = (f: string): string => (unwrapped(shape[f] as z.ZodType).inner._zod.def as { type: string }).type;
  const firstText = fields.find((f) => kind(f) === 'string');
  return fields.filter((f) => isStructured(shape[f] as z.ZodType) || kind(f) === 'number' || f === firstText || target.updatable);
}

export async function runSweep(target: SweepTarget, deps: SweepDeps): Promise<SweepReport> {
  const report: SweepReport = { allowed: 0, denied: 0, problems: [] };
  const label = target.collection.template;
  const expect = async (name: string, want: 'allow' | 'deny', write: () => Promise<unknown>): Promise<void> => {
    let got: string;
    try {
      await write();
      got = 'allow';
    } catch (err) {
      const code = (err as { code?: string }).code;
      got = code === 'permission-denied' ? 'deny' : `error ${code ?? ''}: ${(err as Error).message.slice(0, 200)}`;
    }
    if (got === 'allow') report.allowed += 1;
    if (got === 'deny') report.denied += 1;
    if (got !== want) report.problems.push({ case: `${label} · ${name}`, expected: want, got });
  };
  const written = new Set<string>();
  let original: Record<string, unknown> | undefined;
  try {
    const creator = target.creator;
    if (creator) {
      const db = deps.db(creator);
      const unions = Object.values(writeShape(target.collection)).some(hasUnion);
      for (const v of unions ? [...Array.from({ length: VARIANTS }, (_, i) => i), WORST_CASE] : [0]) {
        const path = target.path(v === WORST_CASE ? 'worst' : `v${v}`);
        written.add(path);
        const what = v === WORST_CASE ? 'the costliest to check' : `variant ${v}`;
        await expect(`create the maximal document (${what}) as ${creator}`, 'allow', () => setDoc(doc(db, path), maximalDoc(target, v, path)));
      }
      // Each poison is the valid document with one value replaced: the refusal is that value's.
      const poisonPath = target.path('poison');
      const good = maximalDoc(target, 0, poisonPath, true);
      written.add(poisonPath);
      await expect(`create the document the poisons start from as ${creator}`, 'allow', () => setDoc(doc(db, poisonPath), good));
      await deps.unchecked((u) => deleteDoc(doc(u, poisonPath)));
      for (const [field, t] of Object.entries(writeShape(target.collection))) {
        for (const p of poisons(t, good[field], [field], doc(db, 'zz/ref'))) {
          await expect(`create with ${p.label}`, 'deny', () => setDoc(doc(db, poisonPath), replaceAt(good, p.path, p.value)));
        }
      }
    }
    if (target.updater) await updateSweep(target, deps, expect, written, target.existing ? (data) => (original = data) : () => undefined);
  } finally {
    await deps.unchecked(async (db) => {
      for (const path of written) await deleteDoc(doc(db, path));
      if (target.existing && original) await setDoc(doc(db, target.existing), original);
    });
  }
  return report;
}

type Expect = (name: string, want: 'allow' | 'deny', write: () => Promise<unknown>) => Promise<void>;

async function updateSweep(
  target: SweepTarget,
  deps: SweepDeps,
  expect: Expect,
  written: Set<string>,
  keepOriginal: (data: Record<string, unknown>) => void,
): Promise<void> {
  const updater = target.updater as ActorId;
  const db = deps.db(updater);
  const path = target.existing ?? target.path('v0');
  const ref = doc(db, path);
  const current = await deps.unchecked(async (u) => (await getDoc(doc(u, path))).data() ?? {});
  if (target.existing) keepOriginal(current);
  else written.add(path);
  const shape = writeShape(target.collection);
  for (const field of updatableFields(target)) {
    const t = shape[field] as z.ZodType;
    await expect(`update ${field} to its largest valid value as ${updater}`, 'allow', () => updateDoc(ref, { [field]: maximal(t, 1) }));
    const good = maximal(t, 1, true);
    // The create sweep tried every poison; an update tries the field's own and the first below it
    // (the same generated check judges both, given the changed keys).
    const all = poisons(t, good, [field], doc(db, 'zz/ref'));
    const list = [...all.filter((p) => p.path.length === 1).slice(0, 4), ...all.filter((p) => p.path.length > 1).slice(0, 2)];
    for (const [i, p] of list.entries()) {
      const top = replaceAt({ [field]: good }, p.path, p.value)[field];
      await expect(`update with ${p.label}`, 'deny', () => updateDoc(ref, { [field]: top }));
      // The same poison by set() on the existing document (an update to the rules), for a few per field.
      if (i === 0) await expect(`set over the document with ${p.label}`, 'deny', () => setDoc(ref, { ...current, [field]: top }));
    }
    await transforms(field, t, good, ref, expect);
  }
}

/** arrayUnion on lists, increment on numbers, serverTimestamp() inside json maps. */
async function transforms(field: string, t: z.ZodType, good: unknown, ref: DocumentReference, expect: Expect): Promise<void> {
  const { inner } = unwrapped(t);
  const def = inner._zod.def as unknown as { type: string; format?: string; element?: z.ZodType };
  if (def.type === 'array') {
    const items = good as unknown[];
    const element = unwrapped(def.element as z.ZodType).inner._zod.def as unknown as { type: string; checks?: unknown[] };
    if (element.type === 'string' && !(element.checks ?? []).some((c) => (c as { _zod: { def: { check: string } } })._zod.def.check === 'string_format')) {
      // At its bound, one more valid element is one too many.
      await expect(`${field} at its bound, then arrayUnion of one more`, 'deny', async () => {
        await updateDoc(ref, { [field]: maximal(t, 1) });
        await updateDoc(ref, { [field]: arrayUnion('n') });
      });
    }
    await expect(`arrayUnion of a number into ${field}`, 'deny', () => updateDoc(ref, { [field]: arrayUnion(7) }));
    await expect(`arrayUnion of a Timestamp into ${field}`, 'deny', () => updateDoc(ref, { [field]: arrayUnion(Timestamp.fromMillis(0)) }));
    if (items.length > 0) {
      await expect(`${field} emptied, then a valid arrayUnion`, 'allow', async () => {
        await updateDoc(ref, { [field]: [] });
        await updateDoc(ref, { [field]: arrayUnion(items[0]) });
      });
    }
  }
  if (def.type === 'number') {
    await expect(`${field} set to 1, then increment(1)`, 'allow', async () => {
      await updateDoc(ref, { [field]: 1 });
      await updateDoc(ref, { [field]: increment(1) });
    });
    if (def.format === 'safeint') await expect(`increment(0.5) on integer ${field}`, 'deny', () => updateDoc(ref, { [field]: increment(0.5) }));
    await expect(`increment(2^60) on ${field}`, 'deny', () => updateDoc(ref, { [field]: increment(2 ** 60) }));
    await expect(`increment(NaN) on ${field}`, 'deny', () => updateDoc(ref, { [field]: increment(NaN) }));
  }
  if ((def.type === 'object' || def.type === 'record') && good && typeof good === 'object') {
    const key = Object.keys(good)[0] ?? 'k';
    await expect(`serverTimestamp() into ${field}.${key}`, 'deny', () => updateDoc(ref, { [`${field}.${key}`]: serverTimestamp() }));
  }
}
