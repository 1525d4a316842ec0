/**
 * Which template an item gets: `{slug}.{lang}` in the recipient's language, else the next language
 * of the fallback chain (zh-TW → zh-CN → en), else a migrated row of that slug (no language);
 * inactive versions do not count. Templates change rarely and every e-mail needs one: each
 * instance keeps what it read for a minute.
 */
import type { Firestore } from 'firebase-admin/firestore';
import {
  emailTemplateId,
  emailTemplates,
  emailTemplatesBySlug,
  EMAIL_TEMPLATE_SLUG,
  type AppLang,
  type EmailTemplateDoc,
  type JsonValue,
} from '@zhengrowth/model';
import { buildQuery } from '../../core/query.js';
import { goodDocs } from '../../core/read.js';

/** zh-TW falls back to zh-CN, then en; zh-CN to en. */
export function fallbackChain(lang: AppLang): AppLang[] {
  switch (lang) {
    case 'zh-TW':
      return ['zh-TW', 'zh-CN', 'en'];
    case 'zh-CN':
      return ['zh-CN', 'en'];
    default:
      return ['en'];
  }
}

export interface PickedTemplate {
  id: string;
  doc: EmailTemplateDoc;
}

export class TemplateNotFoundError extends Error {
  constructor(readonly slug: string) {
    super(`no active e-mail template "${slug}" in any language`);
    this.name = 'TemplateNotFoundError';
  }
}

/** Defaults a template declares: `variables: {"greeting": {"default": "Hi"}}`. */
export function templateDefaults(doc: EmailTemplateDoc): { [k: string]: JsonValue } {
  const out: { [k: string]: JsonValue } = {};
  const v = doc.variables;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [name, spec] of Object.entries(v)) {
    if (spec !== null && typeof spec === 'object' && !Array.isArray(spec) && 'default' in spec) out[name] = spec.default ?? null;
  }
  return out;
}

export interface TemplateStore {
  pick(slug: string, lang: AppLang): Promise<PickedTemplate>;
}

export function firestoreTemplateStore(db: Firestore, ttlMs = 60_000, clock: () => number = Date.now): TemplateStore {
  const cache = new Map<string, { at: number; value: Promise<PickedTemplate | null> }>();
  const cached = (key: string, load: () => Promise<PickedTemplate | null>): Promise<PickedTemplate | null> => {
    const hit = cache.get(key);
    if (hit && clock() - hit.at < ttlMs) return hit.value;
    const value = load();
    cache.set(key, { at: clock(), value });
    // A failed read is not remembered.
    value.catch(() => cache.delete(key));
    return value;
  };
  const byId = (slug: string, lang: AppLang) =>
    cached(`${slug}.${lang}`, async () => {
      const id = emailTemplateId(slug, lang);
      const doc = (
        await db
          .doc(emailTemplates.docPath({ templateId: id }))
          .withConverter(emailTemplates.converter)
          .get()
      ).data();
      return doc && doc.active !== false ? { id, doc } : null;
    });
  const migrated = (slug: string) =>
    cached(`${slug}#migrated`, async () => {
      const snap = await buildQuery(db, emailTemplatesBySlug, [slug]).limit(20).get();
      // Several migrated rows may share a slug (Supabase had no constraint): the newest active one.
      // A row the model cannot read is skipped (logged), as if absent.
      const rows = goodDocs(emailTemplates, snap.docs, 'emailTemplates')
        .map((d) => ({ id: d.id, doc: d.data }))
        .filter((r) => r.doc.active !== false && !r.doc.lang)
        .sort((a, b) => (b.doc.updated_at?.toMillis() ?? 0) - (a.doc.updated_at?.toMillis() ?? 0));
      return rows[0] ?? null;
    });
  return {
    async pick(slug, lang) {
      if (!EMAIL_TEMPLATE_SLUG.test(slug)) throw new TemplateNotFoundError(slug);
      for (const l of fallbackChain(lang)) {
        const hit = await byId(slug, l);
        if (hit) return hit;
      }
      const old = await migrated(slug);
      if (old) return old;
      throw new TemplateNotFoundError(slug);
    },
  };
}
