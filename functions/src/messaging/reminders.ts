/**
 * Reminders, by a job that runs every 15 minutes: a coaching session 24 hours and 1 hour before it
 * starts, an event's registrants 24 hours before — an e-mail (session_reminder, event_reminder) and
 * an inbox item, in the user's language and time zone.
 *
 * Windows: the 24-hour reminder goes to what starts 23 to 24 hours from the run, the 1-hour one to
 * what starts within the hour; the job runs four times an hour, so a run missed is made up by the
 * next. Each reminder's id is made of what it reminds of and the time it announces
 * (`reminder-session24-{uid}-{session}-{epoch s}`): runs that overlap or repeat write nothing
 * twice (the transaction checks), a session that moved gets reminders for its new time, and the
 * e-mail carries valid_if, so one still queued when its session moves or is cancelled is
 * cancelled by the sender instead of announcing the old time.
 */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions/logger';
import {
  appLangOf,
  emailQueue,
  eventRegistrations,
  events as eventsCollection,
  inbox,
  eventsStartingBetween,
  sessionsScheduledBetween,
  users,
  type AppLang,
  type TimestampLike,
  type UserDoc,
} from '@zhengrowth/model';
import type { Deps } from '../core/deps.js';
import { buildQuery } from '../core/query.js';
import { goodDocs } from '../core/read.js';
import { localTime } from './local-time.js';
import { notifyInbox, queueEmail, type EmailRequest, type InboxNotice } from '../shared/outbox.js';
import { REMINDER_NOTICES } from './reminder-texts.js';
import { runTx } from '../core/firestore.js';

const HOUR = 3_600_000;
export type ReminderKind = 'session24' | 'session1' | 'event24';
const WINDOWS: Record<ReminderKind, { fromMs: number; toMs: number }> = {
  session24: { fromMs: 23 * HOUR, toMs: 24 * HOUR },
  session1: { fromMs: 0, toMs: HOUR },
  event24: { fromMs: 23 * HOUR, toMs: 24 * HOUR },
};

export interface ReminderReport {
  session24: number;
  session1: number;
  event24: number;
  /** Already sent by an earlier or overlapping run. */
  existing: number;
}

interface Reminder {
  id: string;
  kind: ReminderKind;
  uid: string | null;
  email: EmailRequest | null;
  notice: InboxNotice | null;
}

/** Writes the reminder's e-mail and inbox item unless an earlier run did (one transaction). */
async function writeOnce(db: Firestore, r: Reminder, now: Date): Promise<boolean> {
  const ref = db.doc(emailQueue.docPath({ emailId: r.id }));
  const itemRef = r.uid ? db.doc(inbox.docPath({ uid: r.uid, itemId: r.id })) : null;
  return runTx(db, async (tx) => {
    const [mail, item] = await Promise.all([tx.get(ref), itemRef ? tx.get(itemRef) : null]);
    if (mail.exists || item?.exists) return false;
    const at = Timestamp.fromDate(now);
    if (r.email) queueEmail(tx, db, r.id, r.email, at);
    if (r.uid && r.notice) notifyInbox(tx, db, r.uid, r.id, r.notice, at);
    return true;
  });
}

const window = (now: Date, kind: ReminderKind): [Timestamp, Timestamp] => [
  Timestamp.fromMillis(now.getTime() + WINDOWS[kind].fromMs),
  Timestamp.fromMillis(now.getTime() + WINDOWS[kind].toMs),
];

const epoch = (t: TimestampLike): number => Math.floor(t.toMillis() / 1000);

async function profiles(db: Firestore, uids: string[]): Promise<Map<string, UserDoc>> {
  if (uids.length === 0) return new Map();
  const snaps = await db.getAll(...[...new Set(uids)].map((uid) => db.doc(users.docPath({ uid })).withConverter(users.converter)));
  return new Map(snaps.flatMap((s) => (s.exists ? [[s.id, s.data() as UserDoc] as const] : [])));
}

async function sessionReminders(deps: Deps, kind: 'session24' | 'session1'): Promise<Reminder[]> {
  const snap = await buildQuery(deps.db, sessionsScheduledBetween, ['scheduled', ...window(deps.now(), kind)]).get();
  // users/{uid}/sessions/{id}: the owner is in the path.
  const ownerOf = (d: (typeof snap.docs)[number]): string => d.ref.parent.parent?.id ?? '';
  const people = await profiles(deps.db, snap.docs.map(ownerOf));
  return snap.docs.flatMap((d) => {
    const uid = ownerOf(d);
    const at = d.get('session_date') as unknown;
    if (!(at instanceof Timestamp)) return [];
    const user = people.get(uid);
    if (!user) return [];
    const lang: AppLang = appLangOf(user.lang) ?? 'en';
    const when = localTime(at.toDate(), lang, user.timezone);
    const soon = kind === 'session1';
    const text = REMINDER_NOTICES[kind][lang](when);
    return [
      {
        id: `reminder-${kind}-${uid}-${d.id}-${epoch(at)}`,
        kind,
        uid,
        email: user.email
          ? {
              to: user.email,
              template: 'session_reminder',
              subject: text.title,
              text: text.message,
              variables: { name: user.name, when, soon, time_zone: user.timezone ?? 'UTC' },
              lang,
              userId: uid,
              validIf: { path: d.ref.path, field: 'session_date', at, statuses: ['scheduled'] },
            }
          : null,
        notice: { type: 'reminder', title: text.title, message: text.message, metadata: { session_id: d.id, kind }, expires_at: at },
      },
    ];
  });
}

async function eventReminders(deps: Deps): Promise<Reminder[]> {
  // An event or registration the model cannot read is skipped (logged): the others still get their reminders.
  const events = await buildQuery(deps.db, eventsStartingBetween, [true, ...window(deps.now(), 'event24')]).get();
  const out: Reminder[] = [];
  for (const e of goodDocs(eventsCollection, events.docs, 'reminders')) {
    const event = e.data;
    const regs = await deps.db.collection(eventRegistrations.collectionPath({ eventId: e.id })).get();
    const live = goodDocs(eventRegistrations, regs.docs, 'reminders').filter((r) => r.data.status === 'registered');
    const people = await profiles(
      deps.db,
      live.flatMap((r) => (r.data.user_id ? [r.data.user_id] : [])),
    );
    for (const r of live) {
      const reg = r.data;
      const user = reg.user_id ? people.get(reg.user_id) : undefined;
      const lang: AppLang = appLangOf(user?.lang) ?? 'en';
      const when = localTime(event.start_time.toDate(), lang, user?.timezone ?? event.timezone);
      const text = REMINDER_NOTICES.event24[lang](when, event.title);
      out.push({
        id: `reminder-event24-${e.id}-${r.id}-${epoch(event.start_time)}`,
        kind: 'event24',
        uid: user ? reg.user_id : null,
        email: {
          to: reg.attendee_email,
          template: 'event_reminder',
          subject: text.title,
          text: text.message,
          variables: { name: reg.attendee_name ?? user?.name ?? null, event_title: event.title, when, location: event.location },
          lang,
          userId: reg.user_id ?? null,
          validIf: { path: e.path, field: 'start_time', at: event.start_time, statuses: null },
        },
        notice: {
          type: 'reminder',
          title: text.title,
          message: text.message,
          metadata: { event_id: e.id, kind: 'event24' },
          expires_at: Timestamp.fromMillis(event.start_time.toMillis()),
        },
      });
    }
  }
  return out;
}

export async function sendReminders(deps: Deps): Promise<ReminderReport> {
  const report: ReminderReport = { session24: 0, session1: 0, event24: 0, existing: 0 };
  const all = [...(await sessionReminders(deps, 'session24')), ...(await sessionReminders(deps, 'session1')), ...(await eventReminders(deps))];
  for (const r of all) {
    if (await writeOnce(deps.db, r, deps.now())) report[r.kind] += 1;
    else report.existing += 1;
  }
  if (all.length > 0) logger.info('reminders', { ...report });
  return report;
}
