import { z } from 'zod';
import { appLang } from '../primitives.js';
import { defineCallable } from './contract.js';
import { docIdInput, isoTime } from './common.js';
import { socialPlatform } from './social.js';

export const SUGGESTION_KINDS = ['goals', 'session_prep', 'lesson_next', 'reflection'] as const;
export const suggestionKind = z.enum(SUGGESTION_KINDS);
export type SuggestionKind = z.infer<typeof suggestionKind>;

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * What the model must answer for getSuggestions: its JSON schema is sent with the request, and the
 * answer is parsed with this before anyone sees it (an answer that does not fit is no answer).
 */
export const suggestionAnswer = z.strictObject({
  items: z
    .array(z.strictObject({ title: text(120), detail: text(600) }))
    .min(1)
    .max(5),
});
export type SuggestionAnswer = z.infer<typeof suggestionAnswer>;

/** What getClientBrief's model must answer. */
export const clientBriefAnswer = z.strictObject({
  summary: text(1200),
  focus: z.array(text(300)).min(1).max(5),
  questions: z.array(text(300)).min(1).max(5),
});
export type ClientBriefAnswer = z.infer<typeof clientBriefAnswer>;

/** What generateSocialDrafts' model must answer for one platform (the platform's length limit is checked too). */
export const socialDraftAnswer = z.strictObject({ content: text(3000) });

/** How an AI answer was served: fresh from the model, or from the cache (`stale`: the model failed, this is the last good one). */
const served = {
  lang: appLang,
  generated_at: isoTime,
  expires_at: isoTime,
  source: z.enum(['model', 'cache']),
  /** True when the model could not answer now (error, invalid answer, quota) and this is the last cached answer. */
  stale: z.boolean(),
};

export const getSuggestions = defineCallable({
  name: 'getSuggestions',
  access: 'signed-in',
  description:
    "AI suggestions (goals, session prep, next lessons, reflection) from the caller's own goals, sessions' action items and lesson progress, in their language; cached until expires_at; `unavailable` when the model fails and nothing is cached.",
  input: z.strictObject({
    kind: suggestionKind,
    /** The answer's language; the profile's language (else en) when absent. */
    lang: appLang.optional(),
  }),
  output: z.strictObject({ kind: suggestionKind, items: suggestionAnswer.shape.items, ...served }),
});

export const getClientBrief = defineCallable({
  name: 'getClientBrief',
  access: 'staff',
  description:
    "A coach's brief before a session with one of their own clients (assigned to them, or with an upcoming session with them that the client booked), from the client's goals and that coach's sessions; refused for anyone else, whatever sessions the coach opened for them.",
  input: z.strictObject({ client_uid: docIdInput, lang: appLang.optional() }),
  output: z.strictObject({ client_uid: z.string(), brief: clientBriefAnswer, ...served }),
});

export const generateSocialDrafts = defineCallable({
  name: 'generateSocialDrafts',
  access: 'admin',
  description:
    "Turns a published blog post into one draft per platform, framed by the active blog_templates of that platform and the post's locale; the drafts land in the caller's social_posts as `draft` (never published by this).",
  input: z.strictObject({
    slug: docIdInput,
    platforms: z
      .array(socialPlatform)
      .min(1)
      .max(5)
      .refine((p) => new Set(p).size === p.length, 'each platform at most once'),
  }),
  output: z.strictObject({
    slug: z.string(),
    drafts: z.array(
      z.strictObject({
        post_id: z.string(),
        platform: socialPlatform,
        account_id: z.string(),
        locale: appLang,
        template_id: z.string().nullable(),
        content: z.string(),
      }),
    ),
  }),
});
