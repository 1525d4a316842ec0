/**
 * listUsers (admins). Without a query: every user (or every user of a role) ordered by e-mail.
 * With one: first the users whose e-mail starts with it (lower-cased, as addresses are stored),
 * then those whose name starts with it (as typed: Firestore compares case-sensitively) and whose
 * e-mail did not already match — one list, read a page at a time. A prefix is a range on the
 * field (`>= q`, `< q + '\uf8ff'`), served by the field's index (with a role: a composite index).
 */
import type { DocumentSnapshot, Firestore, Query } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';
import {
  users,
  usersByEmailOrder,
  usersByEmailPrefix,
  usersByNamePrefix,
  usersWithRole,
  usersWithRoleByEmailPrefix,
  usersWithRoleByNamePrefix,
  type AppRole,
  type listUsers as contract,
  type UserDoc,
  type UserSummary,
} from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { buildQuery } from '../core/query.js';
import { goodDocs } from '../core/read.js';
import type { Deps } from '../core/deps.js';

interface Stream {
  query: Query;
  /** Users this stream leaves to an earlier one (the name stream skips e-mail matches). */
  skip: (doc: UserDoc) => boolean;
}

const HIGH = '\uf8ff';

function streams(db: Firestore, q: string | undefined, role: AppRole | undefined): Stream[] {
  const roleFirst = (values: unknown[]): unknown[] => (role ? [role, ...values] : values);
  if (q === undefined) return [{ query: buildQuery(db, role ? usersWithRole : usersByEmailOrder, roleFirst([])), skip: () => false }];
  const emailPrefix = q.toLowerCase();
  return [
    {
      query: buildQuery(db, role ? usersWithRoleByEmailPrefix : usersByEmailPrefix, roleFirst([emailPrefix, emailPrefix + HIGH])),
      skip: () => false,
    },
    {
      query: buildQuery(db, role ? usersWithRoleByNamePrefix : usersByNamePrefix, roleFirst([q, q + HIGH])),
      skip: (doc) => doc.email?.startsWith(emailPrefix) ?? false,
    },
  ];
}

/** The page token: which stream, and the last user read from it. */
const pageToken = z.strictObject({ s: z.int().min(0).max(1), after: z.string().min(1).max(128) });
type PageToken = z.infer<typeof pageToken>;

function decodeToken(token: string | undefined): PageToken | null {
  if (token === undefined) return null;
  try {
    return pageToken.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
  } catch {
    throw new HttpsError('invalid-argument', 'page_token: not a token this list gave');
  }
}

const encodeToken = (t: PageToken): string => Buffer.from(JSON.stringify(t)).toString('base64url');

function summary(id: string, d: UserDoc): UserSummary {
  return {
    uid: id,
    email: d.email,
    name: d.name,
    roles: d.roles,
    coach_id: d.coach_id ?? null,
    lang: d.lang,
    email_verified: d.email_verified ?? null,
    password_reset_required: d.password_reset_required === true,
    created_at: d.created_at ? d.created_at.toDate().toISOString() : null,
  };
}

async function cursorOf(db: Firestore, after: string): Promise<DocumentSnapshot> {
  const snap = await db.doc(users.docPath({ uid: after })).get();
  if (!snap.exists) throw new HttpsError('invalid-argument', 'page_token: the last user of that page is gone; start again');
  return snap;
}

export const listUsersHandler: CallableHandler<typeof contract, Deps> = async (input, caller, deps) => {
  const all = streams(deps.db, input.query, input.role);
  const token = decodeToken(input.page_token);
  if (token && token.s >= all.length) throw new HttpsError('invalid-argument', 'page_token: not a token this list gave');
  const page: UserSummary[] = [];
  for (let s = token?.s ?? 0; s < all.length; s++) {
    const stream = all[s] as Stream;
    let cursor = token && s === token.s ? await cursorOf(deps.db, token.after) : null;
    for (;;) {
      const want = input.limit - page.length;
      const snap = await (cursor ? stream.query.startAfter(cursor) : stream.query).limit(want).get();
      // A profile the model cannot read is skipped (logged), not the end of the list; paging goes on past it.
      const readable = new Map(goodDocs(users, snap.docs, 'listUsers').map((g) => [g.id, g.data]));
      for (const d of snap.docs) {
        cursor = d;
        const data = readable.get(d.id);
        if (data && !stream.skip(data)) page.push(summary(d.id, data));
      }
      if (page.length >= input.limit) return { users: page, next_page_token: cursor ? encodeToken({ s, after: cursor.id }) : null };
      if (snap.size < want) break;
    }
  }
  return { users: page, next_page_token: null };
};
