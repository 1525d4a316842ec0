import type { DemoCounts } from '../counts.js';
import type { Random } from '../random.js';
import type { Row, TableRows } from '../rows.js';
import { paragraph, pickLang, sentence, title } from '../text.js';
import { after, MICROS_PER_DAY, randomTime, timestamptz, type Timeline } from '../time.js';
import type { People } from './users.js';

const MODES = ['coach_chat', 'blog_draft', 'goal_suggest', 'translate', 'summarize'] as const;
const ROUTES: Readonly<Record<(typeof MODES)[number], string>> = {
  coach_chat: '/coach',
  blog_draft: '/admin/blog/new',
  goal_suggest: '/me/goals',
  translate: '/admin/i18n',
  summarize: '/me/sessions',
};

export function generateAi(rng: Random, counts: DemoCounts, people: People, time: Timeline): { tables: TableRows[] } {
  const g = rng.fork('ai_logs');
  const logRows: Row[] = [];
  for (let i = 0; i < counts.aiLogs; i++) {
    const mode = g.pick(MODES);
    const lang = pickLang(g);
    const failed = g.chance(0.04);
    logRows.push({
      id: g.uuid(),
      mode,
      route: g.maybe(0.1, () => ROUTES[mode]),
      prompt: g.maybe(0.02, () => `${title(g, lang)}\n${sentence(g, lang)}`),
      response: failed ? null : paragraph(g, lang),
      model: g.maybe(0.02, () => g.pick(['gemini-1.5-pro', 'gemini-1.5-flash', 'gemini-2.0-flash'])),
      tokens_used: failed ? null : g.int(50, 4000),
      duration_ms: g.maybe(0.02, () => g.int(200, 20_000)),
      error: failed ? g.pick(['RESOURCE_EXHAUSTED: quota', 'DEADLINE_EXCEEDED', 'SAFETY: blocked']) : null,
      metadata: {
        user: g.chance(0.7) ? { id: g.pick(people.members).id } : null,
        temperature: g.pick([0.2, 0.7, 1]),
        safety: { blocked: failed, categories: [] },
      },
      at: timestamptz(randomTime(g, time.now - 200 * MICROS_PER_DAY, time.now)),
    });
  }

  const c = rng.fork('ai_suggestions_cache');
  const cacheRows: Row[] = [];
  for (let i = 0; i < counts.aiSuggestions; i++) {
    const user = c.pick(people.withProfile);
    const lang = user.lang;
    const created = randomTime(c, time.now - 60 * MICROS_PER_DAY, time.now);
    const type = c.pick(['goals', 'lessons', 'journal_prompts']);
    cacheRows.push({
      id: c.uuid(),
      profile_id: user.profileId,
      suggestion_type: type,
      suggestion_lang: c.maybe(0.05, () => lang),
      content: {
        items: Array.from({ length: c.int(1, 4) }, () => ({
          text: sentence(c, lang),
          score: c.int(1, 100) / 100,
          tags: c.sample(['habit', 'career', 'mindset'], 2),
        })),
        model: 'gemini-1.5-flash',
        version: 2,
      },
      expires_at: c.maybe(0.1, () => timestamptz(after(c, created, 86_400, 86_400 * 14))),
      created_at: timestamptz(created),
    });
  }
  return {
    tables: [
      { table: 'public.ai_logs', rows: logRows },
      { table: 'public.ai_suggestions_cache', rows: cacheRows },
    ],
  };
}
