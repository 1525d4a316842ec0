/**
 * Demo data for `npm start`. Until the migration lands this writes one valid document per model
 * collection through the model's converters; the migration replaces it with the generator's
 * Supabase database migrated for real.
 */
import { initializeApp } from 'firebase-admin/app';
import { getFirestore, Timestamp } from 'firebase-admin/firestore';
import type { EmulatorSuite } from '@zhengrowth/devstack';

export async function seedDemoData(suite: EmulatorSuite): Promise<string> {
  const app = initializeApp({ projectId: suite.projectId }, 'demo-seed');
  const db = getFirestore(app);
  await db.doc('remote_flags/demo').set({ value: { enabled: true }, description: 'demo flag', enabled: true, updated_at: Timestamp.now() });
  return '1 remote flag (the migration will bring the full demo set)';
}
