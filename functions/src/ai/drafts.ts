/**
 * generateSocialDrafts: a published blog post, repurposed per platform with that platform's active
 * template (in the post's locale, else English) as the frame, lands as `draft` posts of the admin
 * who asked, on their connected account: a person reviews and schedules them; nothing here publishes.
 * All platforms or none: one failed draft means no drafts are written and the caller hears why.
 */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  appLangOf,
  blogPosts,
  blogTemplates,
  blogTemplatesOfPlatform,
  socialAccounts,
  socialAccountsByPlatform,
  socialDraftAnswer,
  socialPosts,
  type AppLang,
  type BlogPostDoc,
  type generateSocialDrafts as contract,
  type SocialPlatform,
} from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { txSet, runTx } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import { postMaxLength, postTooLong } from '../social/platforms/limits.js';
import { AiUnavailable, callModel } from './call.js';
import type { AiDeps } from './deps.js';
import { draftInstructions } from './prompts.js';

interface Frame {
  templateId: string | null;
  name: string | null;
  template: string | null;
  variables: unknown;
}

/** The template of the post's locale, else English, else any active one; none: the model writes without a frame. */
async function frameFor(db: Firestore, platform: SocialPlatform, locale: AppLang): Promise<Frame> {
  const snap = await buildQuery(db, blogTemplatesOfPlatform, [platform, true]).get();
  const list = snap.docs.flatMap((d) => {
    const t = blogTemplates.schema.safeParse(d.data());
    return t.success ? [{ id: d.id, ...t.data }] : [];
  });
  const pick = list.find((t) => appLangOf(t.locale) === locale) ?? list.find((t) => appLangOf(t.locale ?? 'en') === 'en') ?? list[0];
  return pick
    ? { templateId: pick.id, name: pick.name, template: pick.template, variables: pick.variables }
    : { templateId: null, name: null, template: null, variables: null };
}

/** The caller's first account on the platform that still works. */
async function accountFor(db: Firestore, uid: string, platform: SocialPlatform): Promise<string> {
  const snap = await buildQuery(db, socialAccountsByPlatform, [platform], { uid }).get();
  const ok = snap.docs.find((d) => {
    const a = socialAccounts.schema.safeParse(d.data());
    return a.success && a.data.active !== false && a.data.status !== 'needs_reconnect';
  });
  if (!ok) throw new HttpsError('failed-precondition', `connect a ${platform} account first (startSocialConnect)`);
  return ok.id;
}

const clip = (s: string | null, max: number): string | null => (s && s.length > max ? `${s.slice(0, max)}…` : s);

function postData(post: BlogPostDoc, slug: string, url: string) {
  return { title: post.title, excerpt: clip(post.excerpt, 1000), body_markdown: clip(post.body_md, 8000), tags: post.tags ?? [], url: `${url}/${slug}` };
}

interface Plan {
  platform: SocialPlatform;
  accountId: string;
  frame: Frame;
}

interface Draft extends Plan {
  content: string;
  model: string;
}

/** One platform's draft from the model, or the refusal that leaves every platform without one. */
async function draftFor(deps: AiDeps, uid: string, plan: Plan, post: { slug: string; doc: BlogPostDoc; locale: AppLang }): Promise<Draft> {
  try {
    const { value, model } = await callModel(deps, {
      uid,
      mode: `social_draft.${plan.platform}`,
      route: 'generateSocialDrafts',
      instructions: draftInstructions(plan.platform, post.locale, postMaxLength(plan.platform)),
      data: { post: postData(post.doc, post.slug, deps.ai.blogUrlBase), template: { name: plan.frame.name, text: plan.frame.template } },
      answer: socialDraftAnswer,
      check: (d) => postTooLong(plan.platform, d.content),
      metadata: { slug: post.slug, platform: plan.platform, locale: post.locale, template_id: plan.frame.templateId },
    });
    return { ...plan, content: value.content, model };
  } catch (err) {
    if (!(err instanceof AiUnavailable)) throw err;
    if (err.outcome === 'quota_exceeded') throw new HttpsError('resource-exhausted', 'the daily AI quota is used up; try again tomorrow');
    throw new HttpsError('unavailable', `no usable ${plan.platform} draft from the AI right now; nothing was saved; please try again later`);
  }
}

/** The drafts, in one transaction: a draft is regenerated in place; one that was scheduled or published is kept and the new draft goes beside it. */
async function saveDrafts(deps: AiDeps, uid: string, post: { slug: string; doc: BlogPostDoc; locale: AppLang }, drafts: Draft[]) {
  const now = Timestamp.fromDate(deps.now());
  const refOf = (postId: string) => deps.db.doc(socialPosts.docPath({ uid, postId })).withConverter(socialPosts.converter);
  return runTx(deps.db, async (tx) => {
    const refs = await Promise.all(
      drafts.map(async (d) => {
        const ref = refOf(`blog-${post.slug}-${d.platform}`);
        const existing = (await tx.get(ref)).data();
        const reusable = !existing || ['draft', 'cancelled', 'failed'].includes(existing.status ?? 'draft');
        return reusable ? ref : refOf(`blog-${post.slug}-${d.platform}-${now.toMillis()}`);
      }),
    );
    return drafts.map((d, i) => {
      const ref = refs[i];
      if (!ref) throw new Error('internal: a draft without its reference');
      txSet(tx, ref, {
        user_id: uid,
        account_id: d.accountId,
        platform: d.platform,
        content: d.content,
        media_urls: post.doc.cover_image ? [post.doc.cover_image] : [],
        status: 'draft',
        scheduled_for: null,
        published_at: null,
        platform_post_id: null,
        error: null,
        metadata: { source: 'blog', slug: post.slug, template_id: d.frame.templateId, locale: post.locale, model: d.model },
        created_at: now,
        updated_at: now,
      });
      return { post_id: ref.id, platform: d.platform, account_id: d.accountId, locale: post.locale, template_id: d.frame.templateId, content: d.content };
    });
  });
}

export const generateSocialDrafts: CallableHandler<typeof contract, AiDeps> = async (input, caller, deps) => {
  const parsed = blogPosts.schema.safeParse((await deps.db.doc(blogPosts.docPath({ slug: input.slug })).get()).data());
  if (!parsed.success || parsed.data.published !== true) throw new HttpsError('not-found', 'no published blog post with this slug');
  const post = { slug: input.slug, doc: parsed.data, locale: appLangOf(parsed.data.lang) ?? 'en' };
  const plans = await Promise.all(
    input.platforms.map(async (platform) => ({
      platform,
      accountId: await accountFor(deps.db, caller.uid, platform),
      frame: await frameFor(deps.db, platform, post.locale),
    })),
  );
  const drafts: Draft[] = [];
  for (const plan of plans) drafts.push(await draftFor(deps, caller.uid, plan, post));
  return { slug: input.slug, drafts: await saveDrafts(deps, caller.uid, post, drafts) };
};
