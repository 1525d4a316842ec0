/**
 * `getAssignments`: a sticky variant per enabled experiment for the caller, a signed-in user (by
 * uid) or an anonymous visitor (by the id the browser keeps). Deterministic: the variant is chosen
 * by a hash of (experiment key, visitor) over the variants' weights, so a visitor who is assigned
 * again (a lost record) gets the same one. Recorded once in experiment_assignments (the id is a
 * hash of key and visitor; concurrent first calls conflict in the transaction and the retry reads
 * the record), with an `experiment_exposure` analytics event written alongside a new record.
 *
 * Across devices: a signed-in user's own record wins; without one, the anonymous visitor's record
 * named by anonymous_id is adopted (the user gets that variant, recorded with the visitor id in
 * session_id), so what someone saw before signing in stays what they see afterwards everywhere.
 */
import { createHash } from 'node:crypto';
import { HttpsError } from 'firebase-functions/v2/https';
import { logger } from 'firebase-functions/logger';
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import {
  analyticsEvents,
  experimentAssignments,
  experimentConfig,
  experiments,
  experimentsByKey,
  type ExperimentConfig,
  type getAssignments as getAssignmentsContract,
} from '@zhengrowth/model';
import type { CallableHandler, RequestMeta } from '../core/callable.js';
import { txCreate, runTx } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import { analyticsEventDoc } from '../analytics/events.js';
import type { AnalyticsDeps } from '../analytics/track.js';

/** A number in [0, 1) from a hash of the experiment and the visitor: uniform, and the same every time. */
export function bucketOf(experimentKey: string, visitor: string): number {
  const h = createHash('sha256').update(`${experimentKey}\u0000${visitor}`).digest();
  return h.readUIntBE(0, 6) / 2 ** 48;
}

/** The variant whose share of the total weight holds the visitor's bucket. */
export function chooseVariant(experimentKey: string, visitor: string, variants: ExperimentConfig['variants']): string {
  const live = variants.filter((v) => v.weight > 0);
  const total = live.reduce((s, v) => s + v.weight, 0);
  let point = bucketOf(experimentKey, visitor) * total;
  for (const v of live) {
    if (point < v.weight) return v.key;
    point -= v.weight;
  }
  return live[live.length - 1]?.key ?? variants[0]?.key ?? 'control';
}

type Visitor = { kind: 'user'; id: string } | { kind: 'anon'; id: string };

function assignmentRef(db: Firestore, key: string, v: Visitor) {
  const assignmentId = createHash('sha256').update(`${key}\u0000${v.kind}\u0000${v.id}`).digest('hex').slice(0, 40);
  return db.doc(experimentAssignments.docPath({ assignmentId })).withConverter(experimentAssignments.converter);
}

async function enabledExperiments(db: Firestore, keys: readonly string[]): Promise<Map<string, ExperimentConfig>> {
  const snap = await buildQuery(db, experimentsByKey, [[...new Set(keys)]])
    .withConverter(experiments.converter)
    .get();
  const out = new Map<string, ExperimentConfig>();
  for (const d of snap.docs) {
    const e = d.data();
    if (e.enabled !== true) continue;
    const config = experimentConfig.safeParse(e.config);
    if (config.success) out.set(e.key, config.data);
    else logger.warn('getAssignments: an experiment with an invalid config is left out', { experiment: e.key });
  }
  return out;
}

export const getAssignments: CallableHandler<typeof getAssignmentsContract, AnalyticsDeps> = async (input, caller, deps, request) => {
  if (!caller && !input.anonymous_id) throw new HttpsError('invalid-argument', 'anonymous_id: required when not signed in');
  const db = deps.db;
  const live = await enabledExperiments(db, input.keys);
  if (live.size === 0) return { assignments: {} };
  const now = deps.now();
  const visitor: Visitor = caller ? { kind: 'user', id: caller.uid } : { kind: 'anon', id: input.anonymous_id ?? '' };
  const anon: Visitor | null = input.anonymous_id ? { kind: 'anon', id: input.anonymous_id } : null;
  const assignments = await runTx(db, async (tx) => {
    const plans = [];
    for (const [key, config] of live) {
      const own = (await tx.get(assignmentRef(db, key, visitor))).data();
      const adopted = !own && caller && anon ? (await tx.get(assignmentRef(db, key, anon))).data() : undefined;
      plans.push({ key, config, own, adopted });
    }
    const out: Record<string, string> = {};
    for (const { key, config, own, adopted } of plans) {
      if (own) {
        out[key] = own.variant;
        continue;
      }
      const variant = adopted?.variant ?? chooseVariant(key, visitor.id, config.variants);
      const ref = assignmentRef(db, key, visitor);
      txCreate(tx, ref, {
        experiment_key: key,
        user_id: caller?.uid ?? null,
        session_id: anon?.id ?? null,
        variant,
        assigned_at: Timestamp.fromDate(now),
      });
      // One exposure per visitor and experiment: an adoption is the same visitor, seen before.
      const who = { userId: caller?.uid ?? null, sessionId: anon?.id ?? null };
      if (!adopted) recordExposure(tx, db, { assignmentId: ref.id, key, variant, ...who }, request, now, deps.retentionDays);
      out[key] = variant;
    }
    return out;
  });
  return { assignments };
};

interface Exposure {
  assignmentId: string;
  key: string;
  variant: string;
  userId: string | null;
  sessionId: string | null;
}

function recordExposure(tx: Transaction, db: Firestore, x: Exposure, request: RequestMeta, now: Date, retentionDays: number): void {
  const ref = db.doc(analyticsEvents.docPath({ eventId: `exposure-${x.assignmentId}` })).withConverter(analyticsEvents.converter);
  const doc = analyticsEventDoc({
    name: 'experiment_exposure',
    userId: x.userId,
    sessionId: x.sessionId,
    properties: { experiment: x.key, variant: x.variant },
    pageUrl: null,
    referrer: null,
    userAgent: request.userAgent,
    ip: request.ip,
    now,
    retentionDays,
  });
  txCreate(tx, ref, doc);
}
