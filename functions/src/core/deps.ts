import type { Firestore } from 'firebase-admin/firestore';
import { db } from './app.js';

/** What a handler needs from the outside world; tests pass their own (an emulator project, a fixed clock). */
export interface Deps {
  db: Firestore;
  now: () => Date;
}

export function defaultDeps(): Deps {
  return { db: db(), now: () => new Date() };
}
