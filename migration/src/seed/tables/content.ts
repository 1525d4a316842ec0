import type { DemoCounts } from '../counts.js';
import type { Random } from '../random.js';
import type { Row, TableRows } from '../rows.js';
import { LANGS, markdown, paragraph, pickLang, sentence, slugify, title, topicTriple } from '../text.js';
import { after, MICROS_PER_DAY, randomTime, timestamptz, timestamptzOrNull, type Timeline } from '../time.js';
import type { People } from './users.js';

export interface Content {
  tables: TableRows[];
  lessonIds: string[];
}

const TAGS = ['growth', 'mindset', 'career', 'habits', 'leadership', 'wellbeing', '成长', '职场', '正念', '習慣', '領導力', 'self-care'];

export function generateContent(rng: Random, counts: DemoCounts, people: People, time: Timeline): Content {
  const p = rng.fork('blog_posts');
  const authors = people.staff;
  const postRows: Row[] = [];
  for (let i = 0; i < counts.blogPosts; i++) {
    const lang = pickLang(p);
    const postTitle = title(p, lang);
    const created = randomTime(p, time.historyStart, time.now - MICROS_PER_DAY);
    const published = p.chance(0.8);
    const publishedAt = published ? after(p, created, 600, 86_400 * 10) : null;
    const slugBase = lang === 'en' ? slugify(postTitle) : `${lang.toLowerCase()}-post`;
    postRows.push({
      id: p.uuid(),
      slug: `${slugBase}-${i + 1}`,
      title: postTitle,
      excerpt: p.maybe(0.1, () => sentence(p, lang)),
      body_md: markdown(p, lang, postTitle),
      cover_image: p.maybe(0.2, () => `https://cdn.zhengrowth.demo/blog/${p.token(12)}.jpg`),
      author_id: p.chance(0.05) ? null : p.pick(authors).id,
      published,
      published_at: timestamptzOrNull(publishedAt),
      lang,
      tags: p.sample(TAGS, p.int(0, 4)),
      meta_title: p.maybe(0.3, () => postTitle.slice(0, 60)),
      meta_description: p.maybe(0.3, () => sentence(p, lang)),
      view_count: published ? p.int(0, 25_000) : 0,
      created_at: timestamptz(created),
      updated_at: timestamptz(randomTime(p, publishedAt ?? created, time.now)),
    });
  }

  const t = rng.fork('blog_templates');
  const templateRows: Row[] = [];
  for (const platform of ['linkedin', 'instagram', 'x', 'wechat']) {
    for (const locale of LANGS) {
      for (const name of ['announcement', 'quote']) {
        templateRows.push({
          id: t.uuid(),
          platform,
          locale,
          name,
          template:
            name === 'quote'
              ? `“{{quote}}”\n— {{author}}\n{{url}}`
              : locale === 'en'
                ? `New on the blog: {{title}}\n\n{{excerpt}}\n\nRead more → {{url}} #{{tag}}`
                : locale === 'zh-CN'
                  ? `博客新文章：{{title}}\n\n{{excerpt}}\n\n阅读全文 → {{url}}`
                  : `部落格新文章：{{title}}\n\n{{excerpt}}\n\n閱讀全文 → {{url}}`,
          variables:
            name === 'quote'
              ? { quote: { required: true }, author: { required: false, default: 'ZhenGrowth' }, url: { required: true } }
              : { title: { required: true, maxLength: 120 }, excerpt: { required: false }, url: { required: true }, tag: { required: false } },
          active: !(platform === 'x' && name === 'quote'),
          created_at: timestamptz(randomTime(t, time.historyStart, time.now)),
        });
      }
    }
  }

  const l = rng.fork('lessons');
  const lessonIds: string[] = [];
  const lessonRows: Row[] = [];
  const perModule = 8;
  for (let i = 0; i < counts.lessons; i++) {
    const id = l.uuid();
    lessonIds.push(id);
    const topics = topicTriple(l);
    const lang = pickLang(l);
    const duration = l.int(180, 3600);
    const created = randomTime(l, time.historyStart, time.now - MICROS_PER_DAY);
    lessonRows.push({
      id,
      slug: `m${Math.floor(i / perModule) + 1}-l${(i % perModule) + 1}-${slugify(topics.en)}`,
      title: `${topics[lang]} ${i % perModule === 0 ? '· intro' : `#${(i % perModule) + 1}`}`,
      description: l.maybe(0.1, () => paragraph(l, lang)),
      module_id: l.chance(0.05) ? null : `module-${Math.floor(i / perModule) + 1}`,
      order: i % perModule,
      duration_sec: l.maybe(0.05, () => duration),
      yt_id: l.maybe(0.05, () => l.token(11, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')),
      chapters: Array.from({ length: l.int(0, 5) }, (_, c) => ({ start_sec: Math.floor((duration / 5) * c), title: sentence(l, lang).slice(0, 30) })),
      tags: l.sample(TAGS, l.int(0, 3)),
      published: l.chance(0.9),
      paywall: l.chance(0.3),
      created_at: timestamptz(created),
      updated_at: timestamptz(randomTime(l, created, time.now)),
    });
  }

  const g = rng.fork('lesson_progress');
  const progressRows: Row[] = [];
  const seen = new Set<string>();
  for (let tries = 0; progressRows.length < counts.lessonProgress && tries < counts.lessonProgress * 5; tries++) {
    const user = g.pick(people.members);
    const lessonIndex = g.int(0, lessonIds.length - 1);
    const key = `${user.id}/${lessonIndex}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const watched = randomTime(g, user.createdAt, time.now);
    const completed = g.chance(0.45);
    progressRows.push({
      id: g.uuid(),
      user_id: user.id,
      lesson_id: lessonIds[lessonIndex] as string,
      last_position_sec: completed ? g.int(600, 3600) : g.int(0, 1800),
      completed,
      last_watched_at: timestamptz(watched),
      completion_date: completed ? timestamptz(watched) : null,
    });
  }

  return {
    tables: [
      { table: 'public.blog_posts', rows: postRows },
      { table: 'public.blog_templates', rows: templateRows },
      { table: 'public.lessons', rows: lessonRows },
      { table: 'public.lesson_progress', rows: progressRows },
    ],
    lessonIds,
  };
}
