import { suggestionAnswer, type getSuggestions as contract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { callModel } from './call.js';
import { serveCached } from './cache.js';
import { ownContext, readProfile } from './context.js';
import type { AiDeps } from './deps.js';
import { languageMismatch, suggestionInstructions } from './prompts.js';

/**
 * getSuggestions: the caller's own goals, sessions' action items and lesson progress in, a few
 * suggestions in their language out; served from the cache while fresh, stale from it when the
 * model fails, `unavailable` when there is nothing to fall back on.
 */
export const getSuggestions: CallableHandler<typeof contract, AiDeps> = async (input, caller, deps) => {
  const profile = await readProfile(deps.db, caller.uid);
  const lang = input.lang ?? profile.lang ?? 'en';
  const key = { uid: caller.uid, profileId: profile.profileId ?? caller.uid, type: input.kind, lang, id: `${input.kind}_${lang}` };
  const served = await serveCached(deps, key, suggestionAnswer, async () => {
    const data = await ownContext(deps.db, caller.uid, input.kind === 'lesson_next', deps.now());
    return callModel(deps, {
      uid: caller.uid,
      mode: `suggestions.${input.kind}`,
      route: 'getSuggestions',
      instructions: suggestionInstructions(input.kind, lang),
      data: { language: lang, ...data },
      answer: suggestionAnswer,
      check: (a) =>
        languageMismatch(
          lang,
          a.items.flatMap((i) => [i.title, i.detail]),
        ),
      metadata: { kind: input.kind, lang },
    });
  });
  const { value, ...rest } = served;
  return { kind: input.kind, items: value.items, ...rest };
};
