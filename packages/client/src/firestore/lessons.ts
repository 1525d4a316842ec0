import { getDoc, serverTimestamp, type Firestore } from 'firebase/firestore';
import { lessonProgress, lessons, lessonsPublished, lessonsPublishedByModule, type DocOf, type LessonDoc } from '@zhengrowth/model';
import { specQuery } from './queries.js';
import { readDocs, type ReadResult } from './read.js';
import { modelDoc, setModelDoc, updateModelDoc } from './refs.js';

/** Published lessons in course order, all or of one module. */
export function listLessons(db: Firestore, moduleId?: string): Promise<ReadResult<LessonDoc>> {
  return readDocs(lessons, moduleId === undefined ? specQuery(db, lessonsPublished, [true]) : specQuery(db, lessonsPublishedByModule, [true, moduleId]));
}

/**
 * Saves where the user is in a lesson (`users/{uid}/lesson_progress/{lessonId}`): the first save
 * creates the document with the ids the rules expect, later saves change only the position.
 */
export async function saveLessonPosition(db: Firestore, uid: string, lessonId: string, positionSec: number): Promise<void> {
  const ref = modelDoc(db, lessonProgress, { uid, lessonId });
  const position = Math.max(0, Math.floor(positionSec));
  if ((await getDoc(ref)).exists()) {
    await updateModelDoc(ref, { last_position_sec: position, last_watched_at: serverTimestamp() });
    return;
  }
  await setModelDoc(ref, {
    id: lessonId,
    user_id: uid,
    lesson_id: lessonId,
    last_position_sec: position,
    completed: false,
    last_watched_at: serverTimestamp(),
    completion_date: null,
  });
}

export async function getLessonProgress(db: Firestore, uid: string, lessonId: string): Promise<DocOf<typeof lessonProgress> | null> {
  const snap = await getDoc(modelDoc(db, lessonProgress, { uid, lessonId }));
  return snap.exists() ? snap.data() : null;
}
