import { HttpsError } from 'firebase-functions/v2/https';
import { clientBriefAnswer, type getClientBrief as contract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { isClientOf } from '../shared/coach-clients.js';
import { callModel } from './call.js';
import { serveCached } from './cache.js';
import { briefContext, readProfile, sessionsWithCoach } from './context.js';
import type { AiDeps } from './deps.js';
import { briefInstructions, languageMismatch } from './prompts.js';

/**
 * getClientBrief: for a coach, about one of their own clients (assigned to them, or with an upcoming
 * session with them that the client booked: shared/coach-clients.ts); anyone else is refused before
 * anything is read about them, whatever sessions the coach wrote for them. The brief sees what the
 * access policy lets the coach see: the client's goals and this coach's sessions with them (not
 * the client's lesson progress, nor other coaches' sessions). Cached in the coach's documents.
 */
export const getClientBrief: CallableHandler<typeof contract, AiDeps> = async (input, caller, deps) => {
  if (!(await isClientOf(deps.db, caller.uid, input.client_uid, deps.now()))) throw new HttpsError('permission-denied', 'not one of your clients');
  const mine = await sessionsWithCoach(deps.db, input.client_uid, caller.uid);
  const coach = await readProfile(deps.db, caller.uid);
  const lang = input.lang ?? coach.lang ?? 'en';
  const key = {
    uid: caller.uid,
    profileId: coach.profileId ?? caller.uid,
    type: 'client_brief',
    lang,
    id: `client_brief_${input.client_uid}_${lang}`,
  };
  const served = await serveCached(deps, key, clientBriefAnswer, async () =>
    callModel(deps, {
      uid: caller.uid,
      mode: 'client_brief',
      route: 'getClientBrief',
      instructions: briefInstructions(lang),
      data: { language: lang, ...(await briefContext(deps.db, input.client_uid, mine, deps.now())) },
      answer: clientBriefAnswer,
      check: (b) => languageMismatch(lang, [b.summary, ...b.focus, ...b.questions]),
      metadata: { lang, client_uid: input.client_uid },
    }),
  );
  const { value, ...rest } = served;
  return { client_uid: input.client_uid, brief: value, ...rest };
};
