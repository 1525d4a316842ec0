/**
 * The coach's workspace in Firestore: a client's sessions with this coach, every session the coach
 * holds, and the notes, state and action items the coach writes on one. The rules let a coach read
 * and write only sessions whose `coach_id` is theirs, so every query carries that filter. The
 * callables `api.listMyClients()` (the clients at a glance) and `api.nudgeClient()` complete it.
 */
import { serverTimestamp, type Firestore } from 'firebase/firestore';
import { sessions, sessionsOfClientWithCoach, sessionsOfCoach, sessionWrite, type SchemaInput, type SessionDoc } from '@zhengrowth/model';
import { specQuery } from './queries.js';
import { readDocs, type ReadResult } from './read.js';
import { modelDoc, updateModelDoc } from './refs.js';

/** A client's sessions held by this coach. */
export function listClientSessions(db: Firestore, coachUid: string, clientUid: string): Promise<ReadResult<SessionDoc>> {
  return readDocs(sessions, specQuery(db, sessionsOfClientWithCoach, [coachUid], { uid: clientUid }));
}

/** Every session this coach holds, across their clients, newest first. */
export function listCoachSessions(db: Firestore, coachUid: string): Promise<ReadResult<SessionDoc>> {
  return readDocs(sessions, specQuery(db, sessionsOfCoach, [coachUid]));
}

/** What a coach writes on a session: notes, its state, up to six action items (`{task, done, due}`). */
export const sessionNotesInput = sessionWrite.pick({ notes: true, status: true, action_items: true }).partial();
export type SessionNotesInput = SchemaInput<typeof sessionNotesInput>;

export async function saveSessionNotes(db: Firestore, clientUid: string, sessionId: string, changes: SessionNotesInput): Promise<void> {
  const c = sessionNotesInput.parse(changes);
  await updateModelDoc(modelDoc(db, sessions, { uid: clientUid, sessionId }), { ...c, updated_at: serverTimestamp() });
}
