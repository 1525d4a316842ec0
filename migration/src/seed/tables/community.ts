import type { DemoCounts } from '../counts.js';
import type { Random } from '../random.js';
import type { Row, TableRows } from '../rows.js';
import { paragraph, sentence, title } from '../text.js';
import { after, MICROS_PER_DAY, randomTime, timestamptz, type Timeline } from '../time.js';
import type { People } from './users.js';

interface Post {
  id: string;
  createdAt: number;
  comments: number;
}

export function generateCommunity(rng: Random, counts: DemoCounts, people: People, time: Timeline): { tables: TableRows[] } {
  const p = rng.fork('community_posts');
  const posts: Post[] = [];
  const postDrafts: Array<Omit<Row, 'comments_count'>> = [];
  for (let i = 0; i < counts.communityPosts; i++) {
    const author = p.pick(people.members);
    const created = randomTime(p, Math.max(author.createdAt, time.historyStart), time.now);
    const id = p.uuid();
    posts.push({ id, createdAt: created, comments: 0 });
    postDrafts.push({
      id,
      author_id: author.id,
      title: title(p, author.lang),
      content: paragraph(p, author.lang),
      tags: p.sample(['question', 'win', 'check-in', '分享', '提問', 'resources'], p.int(0, 3)),
      likes_count: p.int(0, 120),
      published: p.chance(0.9),
      pinned: p.chance(0.03),
      metadata: {
        mentions: p.chance(0.2) ? [p.pick(people.members).id] : [],
        edited: p.chance(0.1),
        attachments: p.chance(0.1) ? [{ type: 'image', url: `https://cdn.zhengrowth.demo/c/${p.token(10)}.png` }] : [],
      },
      created_at: timestamptz(created),
      updated_at: timestamptz(randomTime(p, created, time.now)),
    });
  }

  const c = rng.fork('community_comments');
  const commentRows: Row[] = [];
  const byPost = new Map<string, string[]>();
  const commentIds: string[] = [];
  for (let i = 0; i < counts.communityComments; i++) {
    const post = c.pick(posts);
    const author = c.pick(people.members);
    const siblings = byPost.get(post.id) ?? [];
    const id = c.uuid();
    const created = after(c, post.createdAt, 60, 86_400 * 7);
    commentRows.push({
      id,
      post_id: post.id,
      author_id: author.id,
      content: c.chance(0.5) ? sentence(c, author.lang) : paragraph(c, author.lang),
      // Replies point at an earlier comment of the same post.
      parent_id: siblings.length && c.chance(0.3) ? c.pick(siblings) : null,
      likes_count: c.int(0, 30),
      created_at: timestamptz(created),
      updated_at: timestamptz(after(c, created, 0, 3600)),
    });
    siblings.push(id);
    commentIds.push(id);
    byPost.set(post.id, siblings);
    post.comments++;
  }
  // comments_count is the real number of comments, as the app's counter would be.
  const postRows: Row[] = postDrafts.map((d, i) => ({ ...d, comments_count: posts[i]?.comments ?? 0 }));

  const r = rng.fork('community_reports');
  const reportRows: Row[] = [];
  for (let i = 0; i < counts.communityReports; i++) {
    const onComment = commentIds.length > 0 && r.chance(0.4);
    const target = onComment ? r.pick(commentIds) : r.pick(posts).id;
    const created = randomTime(r, time.now - 200 * MICROS_PER_DAY, time.now);
    const status = r.weighted([
      ['pending', 4],
      ['reviewed', 2],
      ['dismissed', 2],
      ['actioned', 2],
    ]);
    const reviewed = status !== 'pending';
    reportRows.push({
      id: r.uuid(),
      reporter_id: r.pick(people.members).id,
      content_type: onComment ? 'comment' : 'post',
      content_id: target,
      reason: r.pick(['spam', 'harassment', 'off_topic', 'misinformation']),
      description: r.maybe(0.4, () => sentence(r, r.pick(['en', 'zh-CN', 'zh-TW'] as const))),
      status,
      reviewed_by: reviewed ? r.pick(people.staff).id : null,
      reviewed_at: reviewed ? timestamptz(after(r, created, 600, 86_400 * 3)) : null,
      action_taken: status === 'actioned' ? r.pick(['hidden', 'deleted', 'warned_author']) : null,
      created_at: timestamptz(created),
    });
  }

  return {
    tables: [
      { table: 'public.community_posts', rows: postRows },
      { table: 'public.community_comments', rows: commentRows },
      { table: 'public.community_reports', rows: reportRows },
    ],
  };
}
