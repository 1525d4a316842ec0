import { getDoc, serverTimestamp, setDoc, type Firestore } from 'firebase/firestore';
import {
  lessonMedia,
  lessonProgress,
  lessons,
  lessonsPublished,
  lessonsPublishedByModule,
  type DocOf,
  type LessonDoc,
  type LessonMediaDoc,
} from '@zhengrowth/model';
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

/**
 * What plays a lesson (`lesson_media/{lessonId}`): the media of a free published lesson, or of a
 * paywalled one for a user holding a valid lesson pass; `'locked'` when the rules refuse (show the
 * offer that unlocks it), null when the lesson has no media.
 */
export async function getLessonMedia(db: Firestore, lessonId: string): Promise<LessonMediaDoc | 'locked' | null> {
  try {
    const snap = await getDoc(modelDoc(db, lessonMedia, { lessonId }));
    return snap.exists() ? snap.data() : null;
  } catch (err) {
    if (isPermissionDenied(err)) return 'locked';
    throw err;
  }
}

/**
 * The web SDK's refusal by the rules, by its code: a read refused through the watch stream arrives
 * as a FirebaseError that is not an instance of the FirestoreError class 'firebase/firestore' exports
 * (seen against the emulator in Node), so `instanceof FirestoreError` would miss it.
 */
function isPermissionDenied(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'permission-denied';
}

/** Admins: set what plays a lesson (kept apart from the lesson so the paywall can guard it). */
export async function saveLessonMedia(db: Firestore, lessonId: string, media: LessonMediaDoc): Promise<void> {
  await setDoc(modelDoc(db, lessonMedia, { lessonId }), media);
}
