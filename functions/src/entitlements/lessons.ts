/**
 * Who may play a lesson, as the rules decide for lesson_media: a published lesson; a `paywall` one
 * only with a valid lesson pass (its own or its module's); admins always. recordLessonProgress
 * records progress only for a lesson the caller may play.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { lessonAccess, lessonAccessKeysOf, lessonProgress, lessons, type LessonDoc, type recordLessonProgress as recordContract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { hasRole, type Caller } from '../core/context.js';
import type { Deps } from '../core/deps.js';
import { txSet, runTx } from '../core/firestore.js';
import { recordDomainEvent } from '../shared/domain-events.js';

/** The lesson, if the caller may play it; not-found / permission-denied otherwise (the rules' decision, on the server). */
export async function playableLesson(deps: Deps, caller: Caller, lessonId: string): Promise<LessonDoc> {
  const lesson = (await deps.db.doc(lessons.docPath({ lessonId })).withConverter(lessons.converter).get()).data();
  const admin = hasRole(caller, 'admin');
  if (!lesson || (lesson.published !== true && !admin)) throw new HttpsError('not-found', 'no such lesson');
  if (lesson.paywall !== true || admin) return lesson;
  const refs = lessonAccessKeysOf(lessonId, lesson.module_id).map((accessKey) =>
    deps.db.doc(lessonAccess.docPath({ uid: caller.uid, accessKey })).withConverter(lessonAccess.converter),
  );
  const now = deps.now().getTime();
  const passes = await deps.db.getAll(...refs);
  const valid = passes.some((s) => {
    const p = s.exists ? lessonAccess.converter.fromFirestore(s) : undefined;
    return p?.active === true && (p.expires_at === null || p.expires_at.toMillis() > now);
  });
  if (!valid) throw new HttpsError('permission-denied', 'this lesson is part of a programme you have not bought (or your access has ended)');
  return lesson;
}

export const recordLessonProgress: CallableHandler<typeof recordContract, Deps> = async (input, caller, deps) => {
  const lesson = await playableLesson(deps, caller, input.lesson_id);
  const ref = deps.db.doc(lessonProgress.docPath({ uid: caller.uid, lessonId: input.lesson_id })).withConverter(lessonProgress.converter);
  const now = Timestamp.fromDate(deps.now());
  const doc = await runTx(deps.db, async (tx) => {
    const prev = (await tx.get(ref)).data();
    const wasDone = prev?.completed === true;
    // Never backwards: the furthest point reached so far stays (a completed lesson stays at 100).
    const percent = Math.max(prev?.progress_percent ?? 0, wasDone ? 100 : 0, input.progress_percent);
    const completed = wasDone || percent === 100;
    const next = {
      id: prev?.id ?? input.lesson_id,
      user_id: caller.uid,
      lesson_id: input.lesson_id,
      last_position_sec: input.position_sec ?? prev?.last_position_sec ?? null,
      completed,
      last_watched_at: now,
      completion_date: prev?.completion_date ?? (completed ? now : null),
      progress_percent: percent,
    };
    txSet(tx, ref, next);
    if (completed && !wasDone) {
      // Badges and funnels follow this fact; recorded once, with the completion.
      recordDomainEvent(tx, deps.db, { type: 'lesson_completed', userId: caller.uid, subjectId: input.lesson_id, data: { module_id: lesson.module_id } }, now);
    }
    return next;
  });
  return {
    lesson_id: input.lesson_id,
    progress_percent: doc.progress_percent,
    completed: doc.completed,
    completion_date: doc.completion_date ? doc.completion_date.toDate().toISOString() : null,
  };
};
