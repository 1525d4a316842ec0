/**
 * Firestore-only guards of the community and growth collections (issue 15), run by parity.test.ts
 * on the parity project so that the rules coverage counts them: likes, moderation copies and bans
 * readable only by whom they concern, hidden content and banned members' edits, the size limits of
 * edits, reports that name a comment's post, public lead forms, and the growth state collections.
 */
import { collection, deleteDoc, doc, getDoc, getDocs, serverTimestamp, setDoc, Timestamp, updateDoc, type Firestore } from 'firebase/firestore';
import { expect } from 'vitest';
import { A, B, COACH, type ActorId } from './actors.js';
import type { FirestoreSide } from './firestore-side.js';

type Check = readonly [name: string, run: () => Promise<void>];

async function denied(p: Promise<unknown>): Promise<void> {
  await expect(p).rejects.toMatchObject({ code: 'permission-denied' });
}

export function growthRuleChecks(side: () => FirestoreSide): Check[] {
  const as = (a: ActorId): Firestore => side().db(a);
  /** Writes with the rules off (what the server does). */
  const seed = (path: string, data: Record<string, unknown>) =>
    side().env.withSecurityRulesDisabled(async (ctx) => {
      await setDoc(doc(ctx.firestore() as unknown as Firestore, path), data);
    });
  const remove = (path: string) =>
    side().env.withSecurityRulesDisabled(async (ctx) => {
      await deleteDoc(doc(ctx.firestore() as unknown as Firestore, path));
    });
  const post = (author: string, extra: Record<string, unknown> = {}) => ({
    author_id: author,
    title: 'Growth',
    content: 'A post',
    tags: [],
    likes_count: 0,
    comments_count: 0,
    published: true,
    pinned: false,
    metadata: null,
    created_at: Timestamp.now(),
    updated_at: null,
    ...extra,
  });
  const comment = (postId: string, author: string, extra: Record<string, unknown> = {}) => ({
    post_id: postId,
    author_id: author,
    content: 'A comment',
    parent_id: null,
    likes_count: 0,
    created_at: Timestamp.now(),
    updated_at: null,
    ...extra,
  });
  const form = (extra: Record<string, unknown> = {}) => ({
    email: 'lin@example.com',
    name: '林小姐',
    phone: '+886 912 345 678',
    source: 'landing',
    user_id: null,
    created_at: serverTimestamp(),
    ...extra,
  });

  return [
    [
      'likes: a user reads their own like of a post or a comment, nobody else’s; nobody writes them',
      async () => {
        await seed(`community_posts/g-liked/likes/${A.uid}`, { user_id: A.uid, created_at: Timestamp.now() });
        await seed(`community_posts/g-liked/comments/c1/likes/${A.uid}`, { user_id: A.uid, created_at: Timestamp.now() });
        for (const p of [`community_posts/g-liked/likes/${A.uid}`, `community_posts/g-liked/comments/c1/likes/${A.uid}`]) {
          expect((await getDoc(doc(as('clientA'), p))).exists()).toBe(true);
          await denied(getDoc(doc(as('clientB'), p)));
          await denied(getDoc(doc(as('admin'), p)));
          await denied(deleteDoc(doc(as('clientA'), p)));
        }
        await denied(setDoc(doc(as('clientB'), `community_posts/g-liked/likes/${B.uid}`), { user_id: B.uid, created_at: serverTimestamp() }));
      },
    ],
    [
      'a hidden post: unseen by other members, the author cannot edit it; staff can; authors cannot hide or unhide',
      async () => {
        await seed('community_posts/g-hidden', post(A.uid, { hidden: true, published: false }));
        await seed('community_posts/g-shown', post(A.uid, { hidden: false }));
        await denied(getDoc(doc(as('clientB'), 'community_posts/g-hidden')));
        expect((await getDoc(doc(as('clientA'), 'community_posts/g-hidden'))).exists()).toBe(true);
        await denied(updateDoc(doc(as('clientA'), 'community_posts/g-hidden'), { title: 'Edited' }));
        await denied(updateDoc(doc(as('clientA'), 'community_posts/g-hidden'), { hidden: false, published: true }));
        await denied(updateDoc(doc(as('clientA'), 'community_posts/g-shown'), { hidden: true }));
        await updateDoc(doc(as('coach'), 'community_posts/g-hidden'), { pinned: false });
        await denied(updateDoc(doc(as('coach'), 'community_posts/g-hidden'), { hidden: 'yes' }));
      },
    ],
    [
      "a hidden post's thread: its comments are read by the post's author and the staff only, by get and by list",
      async () => {
        await seed('community_posts/g-veiled', post(A.uid, { hidden: true }));
        await seed('community_posts/g-veiled/comments/g-reply', comment('g-veiled', B.uid));
        const thread = (a: ActorId) => collection(as(a), 'community_posts/g-veiled/comments');
        await denied(getDoc(doc(as('clientB'), 'community_posts/g-veiled/comments/g-reply')));
        await denied(getDocs(thread('clientB')));
        expect((await getDoc(doc(as('clientA'), 'community_posts/g-veiled/comments/g-reply'))).exists()).toBe(true);
        expect((await getDocs(thread('clientA'))).size).toBe(1);
        expect((await getDocs(thread('coach'))).size).toBe(1);
        // Shown again, the thread is open to every member.
        await seed('community_posts/g-veiled', post(A.uid, { hidden: false }));
        expect((await getDocs(thread('clientB'))).size).toBe(1);
        await denied(getDocs(thread('anon')));
      },
    ],
    [
      'a hidden comment and its kept text: the author cannot edit it; the text is readable by its author and the staff only',
      async () => {
        await seed('community_posts/g-shown/comments/g-hidden', comment('g-shown', A.uid, { hidden: true, content: '' }));
        await denied(updateDoc(doc(as('clientA'), 'community_posts/g-shown/comments/g-hidden'), { content: 'back again' }));
        await updateDoc(doc(as('coach'), 'community_posts/g-shown/comments/g-hidden'), { hidden: true, updated_at: Timestamp.now() });
        await seed('community_moderation/comment:g-hidden', {
          content_type: 'comment',
          content_id: 'g-hidden',
          post_id: 'g-shown',
          author_id: A.uid,
          action: 'hide',
          title: null,
          content: 'rude words',
          report_id: 'r1',
          note: null,
          moderated_by: COACH.uid,
          moderated_at: Timestamp.now(),
        });
        expect((await getDoc(doc(as('clientA'), 'community_moderation/comment:g-hidden'))).data()?.content).toBe('rude words');
        expect((await getDoc(doc(as('coach'), 'community_moderation/comment:g-hidden'))).exists()).toBe(true);
        await denied(getDoc(doc(as('clientB'), 'community_moderation/comment:g-hidden')));
        await denied(setDoc(doc(as('coach'), 'community_moderation/x'), { any: 'thing' }));
      },
    ],
    [
      'edits keep to the size limits, and a banned member edits nothing until the ban is lifted',
      async () => {
        await seed('community_posts/g-mine', post(B.uid));
        await seed('community_posts/g-mine/comments/g-mine', comment('g-mine', B.uid));
        const p = doc(as('clientB'), 'community_posts/g-mine');
        const c = doc(as('clientB'), 'community_posts/g-mine/comments/g-mine');
        await denied(updateDoc(p, { content: 'x'.repeat(10_001) }));
        await denied(updateDoc(p, { title: 't'.repeat(201) }));
        await denied(updateDoc(c, { content: 'x'.repeat(5001) }));
        await updateDoc(p, { content: 'x'.repeat(10_000) });
        await seed(`community_bans/${B.uid}`, { user_id: B.uid, reason: 'spam', banned_by: COACH.uid, banned_at: Timestamp.now() });
        expect((await getDoc(doc(as('clientB'), `community_bans/${B.uid}`))).exists()).toBe(true);
        expect((await getDoc(doc(as('coach'), `community_bans/${B.uid}`))).exists()).toBe(true);
        await denied(getDoc(doc(as('clientA'), `community_bans/${B.uid}`)));
        await denied(deleteDoc(doc(as('clientB'), `community_bans/${B.uid}`)));
        await denied(updateDoc(p, { title: 'Banned edit' }));
        await denied(updateDoc(c, { content: 'Banned edit' }));
        await remove(`community_bans/${B.uid}`);
        await updateDoc(p, { title: 'Allowed again' });
        await updateDoc(c, { content: 'Allowed again' });
      },
    ],
    [
      'a report of a comment may name its post (post_id), as a string or null',
      async () => {
        const report = (postId: unknown) => ({
          reporter_id: A.uid,
          content_type: 'comment',
          content_id: 'g-mine',
          reason: 'spam',
          description: null,
          status: 'pending',
          reviewed_by: null,
          reviewed_at: null,
          action_taken: null,
          created_at: serverTimestamp(),
          post_id: postId,
        });
        await setDoc(doc(as('clientA'), 'community_reports/g-with-post'), report('g-mine'));
        await setDoc(doc(as('clientA'), 'community_reports/g-null-post'), report(null));
        await denied(setDoc(doc(as('clientA'), 'community_reports/g-bad-post'), report(42)));
        await remove('community_reports/g-with-post');
        await remove('community_reports/g-null-post');
      },
    ],
    [
      'lead forms are the server’s (submitLead): no client creates, reads or changes one, valid or not, in its own name or none',
      async () => {
        for (const a of ['anon', 'clientA', 'coach', 'admin'] as const) await denied(setDoc(doc(as(a), `lead_forms/g-${a}`), form()));
        await denied(setDoc(doc(as('clientA'), 'lead_forms/g-own'), form({ user_id: A.uid })));
        await seed('lead_forms/g-kept', { ...form(), created_at: Timestamp.now() });
        for (const a of ['anon', 'clientA', 'admin'] as const) await denied(getDoc(doc(as(a), 'lead_forms/g-kept')));
        await denied(updateDoc(doc(as('admin'), 'lead_forms/g-kept'), { name: 'changed' }));
        await remove('lead_forms/g-kept');
        // The double opt-in and the blog view counters are the server's: nobody confirms a stranger's address or counts views.
        const now = Timestamp.now();
        const closed: Array<[string, Record<string, unknown>]> = [
          [
            'email_consents/g-consent',
            { email: 'x@example.com', confirmed_at: null, confirmed_via: null, requested_at: now, requests: 1, created_at: now, updated_at: now },
          ],
          ['blog_views/g-view', { post: 'p', day: '2026-12-01', expires_at: now }],
          ['blog_view_shards/p:0', { post: 'p', pending: 1, total: 0, updated_at: now }],
        ];
        for (const [path, data] of closed) {
          await seed(path, data);
          for (const a of ['anon', 'clientA', 'admin'] as const) await denied(getDoc(doc(as(a), path)));
          await denied(setDoc(doc(as('admin'), path), { ...data, confirmed_at: now, pending: 100 }));
          await remove(path);
        }
      },
    ],
    [
      'growth state: lead history and sync outcomes for staff, referral accounts and badge counts for their user, rollups for admins',
      async () => {
        await seed('leads/g-lead/history/form-1', {
          kind: 'form',
          at: Timestamp.now(),
          form_id: '1',
          email: 'x@example.com',
          name: null,
          phone: null,
          source: null,
          filled: [],
          owner: null,
        });
        await seed(`referral_accounts/${A.uid}`, {
          user_id: A.uid,
          code: 'ABCDEFGHJK',
          referred_by: null,
          referral_id: null,
          linked_at: null,
          created_at: Timestamp.now(),
        });
        await seed(`user_stats/${A.uid}`, { user_id: A.uid, counts: { posts: 1 }, updated_at: Timestamp.now() });
        await seed('analytics_rollups/2026-12-01', {
          day: '2026-12-01',
          events: 1,
          unique_users: 0,
          unique_sessions: 0,
          names: 1,
          computed_at: Timestamp.now(),
        });
        await seed('analytics_rollups/2026-12-01/names/page_view', {
          day: '2026-12-01',
          event_name: 'page_view',
          events: 1,
          unique_users: 0,
          unique_sessions: 0,
        });
        await seed('integration_syncs/cal_event_types', {
          started_at: Timestamp.now(),
          finished_at: Timestamp.now(),
          ok: true,
          error: null,
          counts: { created: 1 },
          last_success_at: Timestamp.now(),
          failing_since: null,
          alerted: false,
        });
        const readable: Array<[string, ActorId[], ActorId[]]> = [
          ['leads/g-lead/history/form-1', ['coach', 'admin'], ['clientA', 'anon']],
          ['integration_syncs/cal_event_types', ['coach', 'admin'], ['clientA', 'anon']],
          [`referral_accounts/${A.uid}`, ['clientA'], ['clientB', 'admin']],
          [`user_stats/${A.uid}`, ['clientA'], ['clientB', 'admin']],
          ['analytics_rollups/2026-12-01', ['admin'], ['coach', 'clientA']],
          ['analytics_rollups/2026-12-01/names/page_view', ['admin'], ['coach', 'anon']],
        ];
        for (const [path, yes, no] of readable) {
          for (const a of yes) expect((await getDoc(doc(as(a), path))).exists(), `${a} reads ${path}`).toBe(true);
          for (const a of no) await denied(getDoc(doc(as(a), path)));
          await denied(setDoc(doc(as('admin'), path), { any: 'thing' }));
        }
      },
    ],
  ];
}
