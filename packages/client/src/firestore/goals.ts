import { deleteDoc, serverTimestamp, type Firestore } from 'firebase/firestore';
import { goals, goalsOfUser, goalWrite, type GoalDoc, type SchemaInput } from '@zhengrowth/model';
import { specQuery } from './queries.js';
import { readDocs, type ReadResult } from './read.js';
import { addModelDoc, modelCollection, modelDoc, updateModelDoc } from './refs.js';

/** What the owner sets on a goal (owner and times are filled in). */
export const goalInput = goalWrite.pick({ title: true, description: true, status: true, target_date: true, progress_percent: true }).partial({
  description: true,
  status: true,
  target_date: true,
  progress_percent: true,
});
export type GoalInput = SchemaInput<typeof goalInput>;

/** A new goal of the signed-in user; returns its id. */
export async function addGoal(db: Firestore, uid: string, goal: GoalInput): Promise<string> {
  const g = goalInput.parse(goal);
  const ref = await addModelDoc(modelCollection(db, goals, { uid }), {
    user_id: uid,
    title: g.title,
    description: g.description ?? null,
    status: g.status ?? null,
    target_date: g.target_date ?? null,
    progress_percent: g.progress_percent ?? null,
    created_at: serverTimestamp(),
    updated_at: serverTimestamp(),
  });
  return ref.id;
}

export async function updateGoal(db: Firestore, uid: string, goalId: string, changes: Partial<GoalInput>): Promise<void> {
  const c = goalInput.partial().parse(changes);
  await updateModelDoc(modelDoc(db, goals, { uid, goalId }), { ...c, updated_at: serverTimestamp() });
}

export async function deleteGoal(db: Firestore, uid: string, goalId: string): Promise<void> {
  await deleteDoc(modelDoc(db, goals, { uid, goalId }));
}

/** A user's goals, newest first (the owner; a coach on a client's page). */
export function listGoals(db: Firestore, uid: string): Promise<ReadResult<GoalDoc>> {
  return readDocs(goals, specQuery(db, goalsOfUser, [], { uid }));
}
