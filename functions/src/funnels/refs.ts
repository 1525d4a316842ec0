import type { Firestore } from 'firebase-admin/firestore';
import { funnelEnrolments, funnelProgress, funnels, funnelStages, stagesInOrder, type FunnelStageAction } from '@zhengrowth/model';
import { funnelStageAction } from '@zhengrowth/model';
import { logger } from 'firebase-functions/logger';
import { buildQuery } from '../core/query.js';

export const funnelRef = (db: Firestore, funnelId: string) => db.doc(funnels.docPath({ funnelId })).withConverter(funnels.converter);
export const enrolmentRef = (db: Firestore, enrolmentId: string) => db.doc(funnelEnrolments.docPath({ enrolmentId })).withConverter(funnelEnrolments.converter);
/** A user's view of an enrolment: users/{uid}/funnel_progress/{funnelId}. */
export const progressRef = (db: Firestore, uid: string, funnelId: string) =>
  db.doc(funnelProgress.docPath({ uid, progressId: funnelId })).withConverter(funnelProgress.converter);

export function stagesQuery(db: Firestore, funnelId: string) {
  return buildQuery(db, stagesInOrder, [], { funnelId }).withConverter(funnelStages.converter);
}

export interface Stage {
  id: string;
  name: string;
  delayHours: number;
  action: FunnelStageAction | null;
}

/** A funnel's stages in order; a stage whose action cannot be read runs as a wait (and is logged). */
export function stagesOf(
  funnelId: string,
  docs: ReadonlyArray<{ id: string; data(): { name: string; action_type: string | null; action_config: unknown; delay_hours: number | null } }>,
): Stage[] {
  return docs.map((d) => {
    const s = d.data();
    const action = funnelStageAction.safeParse({ action_type: s.action_type, action_config: s.action_config ?? {} });
    if (!action.success) logger.warn('funnels: a stage with an unknown action runs as a wait', { funnel: funnelId, stage: d.id, action_type: s.action_type });
    return { id: d.id, name: s.name, delayHours: Math.max(0, s.delay_hours ?? 0), action: action.success ? action.data : null };
  });
}
