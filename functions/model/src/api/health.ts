import { z } from 'zod';
import { appRole } from '../primitives.js';
import { defineCallable } from './contract.js';
import { isoTime } from './common.js';

export const health = defineCallable({
  name: 'health',
  access: 'public',
  description: 'Liveness: the function runs and reaches Firestore; says who the caller is.',
  input: z.strictObject({}).default({}),
  output: z.strictObject({
    ok: z.literal(true),
    service: z.literal('zhengrowth-functions'),
    time: isoTime,
    /** Whether the caller is signed in, and with which roles (handy when wiring the web app). */
    caller: z.strictObject({ uid: z.string(), roles: z.array(appRole) }).nullable(),
    firestore: z.literal('reachable'),
  }),
});
