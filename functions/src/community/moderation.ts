/**
 * `moderateReport`: a coach or admin decides a report. In ONE transaction: the action on the
 * content (hide, delete, or none for warn and dismiss), a copy of hidden or deleted content for
 * its author and the staff (community_moderation), every open report on the same content closed
 * (status, reviewed_by, reviewed_at, action_taken), and the author's inbox notice. A crash at any
 * point before the commit leaves everything as it was; a second decision on a closed report is
 * refused.
 *
 * Hidden content disappears for everyone but its author and the staff: a hidden post is also
 * unpublished (the feed and readers' rules need published == true); a hidden comment's text moves
 * to community_moderation and the comment keeps an empty body, so threads stay whole.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import {
  communityModeration,
  communityReports,
  reportsOnContent,
  type CommunityReportDoc,
  type ModerationAction,
  type moderateReport as moderateReportContract,
} from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { txMerge, txSet, runTx } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import { notifyInbox } from '../shared/outbox.js';
import type { CommunityDeps } from './deps.js';
import { commentRef, postRef, reportRef } from './refs.js';

/** How a closed report reads (the seed's vocabulary). */
const CLOSED: Record<ModerationAction, { status: string; action_taken: string }> = {
  dismiss: { status: 'dismissed', action_taken: 'dismissed' },
  hide: { status: 'actioned', action_taken: 'hidden' },
  delete: { status: 'actioned', action_taken: 'deleted' },
  warn: { status: 'actioned', action_taken: 'warned_author' },
};

const NOTICE: Record<Exclude<ModerationAction, 'dismiss'>, { title: string; message: string }> = {
  hide: { title: 'Your content was hidden', message: 'A moderator hid your content after a report. Only you and the moderators can still see it.' },
  delete: { title: 'Your content was removed', message: 'A moderator removed your content after a report.' },
  warn: { title: 'A warning from the moderators', message: 'A moderator reviewed a report about your content. Please keep to the community guidelines.' },
};

interface Target {
  type: 'post' | 'comment';
  id: string;
  postId: string;
}

function targetOf(report: CommunityReportDoc, fallbackPostId: string | undefined): Target {
  if (report.content_type === 'post') return { type: 'post', id: report.content_id, postId: report.content_id };
  if (report.content_type !== 'comment') throw new HttpsError('failed-precondition', `reports on "${report.content_type}" cannot be moderated here`);
  const postId = report.post_id ?? fallbackPostId;
  if (!postId) throw new HttpsError('failed-precondition', 'this report does not say which post the comment is on: pass post_id');
  return { type: 'comment', id: report.content_id, postId };
}

/** The content's writes for hide and delete (its copy for the author and the staff included); the author, if the content exists. */
async function readContent(tx: Transaction, db: Firestore, t: Target) {
  if (t.type === 'post') {
    const ref = postRef(db, t.id);
    const post = (await tx.get(ref)).data();
    return post ? { author: post.author_id, title: post.title, content: post.content, ref } : null;
  }
  const ref = commentRef(db, t.postId, t.id);
  const comment = (await tx.get(ref)).data();
  return comment ? { author: comment.author_id, title: null, content: comment.content, ref } : null;
}

export const moderateReport: CallableHandler<typeof moderateReportContract, CommunityDeps> = async (input, caller, deps) => {
  const db = deps.db;
  const now = Timestamp.fromDate(deps.now());
  return runTx(db, async (tx) => {
    // ---- reads ----
    const report = (await tx.get(reportRef(db, input.report_id))).data();
    if (!report) throw new HttpsError('not-found', 'no such report');
    if ((report.status ?? 'pending') !== 'pending') throw new HttpsError('failed-precondition', `this report was already closed (${report.status})`);
    const t = targetOf(report, input.post_id);
    const content = await readContent(tx, db, t);
    const open = await tx.get(buildQuery(db, reportsOnContent, [report.content_type, report.content_id, 'pending']).withConverter(communityReports.converter));
    const closing = new Set([input.report_id, ...open.docs.map((d) => d.id)]);

    // ---- writes ----
    const { action } = input;
    if (content && (action === 'hide' || action === 'delete')) {
      txSet(tx, db.doc(communityModeration.docPath({ recordId: `${t.type}:${t.id}` })).withConverter(communityModeration.converter), {
        content_type: t.type,
        content_id: t.id,
        post_id: t.postId,
        author_id: content.author,
        action,
        title: content.title,
        content: content.content,
        report_id: input.report_id,
        note: input.note ?? null,
        moderated_by: caller.uid,
        moderated_at: now,
      });
      if (action === 'delete') tx.delete(content.ref);
      else if (t.type === 'post') tx.update(postRef(db, t.id), { hidden: true, published: false, updated_at: now });
      else tx.update(commentRef(db, t.postId, t.id), { hidden: true, content: '', updated_at: now });
    }
    deps.fault?.('moderation:after-content');
    for (const reportId of closing) {
      txMerge(tx, reportRef(db, reportId), { ...CLOSED[action], reviewed_by: caller.uid, reviewed_at: now });
    }
    if (content && action !== 'dismiss') {
      notifyInbox(
        tx,
        db,
        content.author,
        `moderation-${input.report_id}`,
        {
          type: 'community_moderation',
          ...NOTICE[action],
          action_url: action === 'delete' ? null : `/community/posts/${t.postId}`,
          metadata: { content_type: t.type, content_id: t.id, post_id: t.postId, action, note: input.note ?? null },
        },
        now,
      );
    }
    return { report_id: input.report_id, action, content_type: t.type, content_id: t.id, closed_report_ids: [...closing].sort() };
  });
};
