/**
 * Reminders and the inbox jobs against the Firestore emulator: session reminders 24 h and 1 h
 * before, event reminders 24 h before, in the user's language and time zone, once however often
 * the job runs; a moved or cancelled session gets none for its old time (and a reminder still
 * queued for it is cancelled); expired inbox items deleted; markInboxRead.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailQueue, eventRegistrations, events, inbox, markInboxRead, sessions, type EmailQueueDoc } from '@zhengrowth/model';
import { put } from '@zhengrowth/devstack/testing';
import { runCallable } from '../src/core/callable.js';
import { onQueuedEmail } from '../src/messaging/email/triggers.js';
import { expireInboxItems, markRead } from '../src/messaging/inbox.js';
import { sendReminders } from '../src/messaging/reminders.js';
import { asAuthData, uniq } from './support/env.js';
import { messagingEnv, seedProfile, type MessagingEnv } from './support/messaging.js';

let env: MessagingEnv;
beforeAll(async () => {
  env = await messagingEnv('reminders');
});
afterAll(async () => {
  await env?.close();
});

const HOUR = 3_600_000;
const at = (msFromNow: number): Timestamp => Timestamp.fromMillis(env.clock.now().getTime() + msFromNow);
const deps = () => ({ db: env.db, now: env.clock.now });

async function session(uid: string, when: Timestamp, status = 'scheduled'): Promise<string> {
  const sessionId = uniq('s-');
  await put(env.db.doc(sessions.docPath({ uid, sessionId })).withConverter(sessions.converter), {
    user_id: uid,
    coach_id: null,
    booking_id: null,
    session_date: when,
    notes: null,
    action_items: null,
    status,
    created_at: Timestamp.now(),
    updated_at: null,
  });
  return sessionId;
}

const queued = async (id: string): Promise<EmailQueueDoc | undefined> =>
  (
    await env.db
      .doc(emailQueue.docPath({ emailId: id }))
      .withConverter(emailQueue.converter)
      .get()
  ).data();

async function remindersOf(uid: string): Promise<string[]> {
  return (await env.db.collection(inbox.collectionPath({ uid })).get()).docs.map((d) => d.id).filter((id) => id.startsWith('reminder-'));
}

describe('session reminders', () => {
  it('24 h before: an e-mail and an inbox item in the user’s language and time zone, once however often the job runs', async () => {
    const uid = uniq('u');
    await seedProfile(env.db, uid, { email: `${uid}@example.com`, lang: 'zh-TW', timezone: 'Asia/Taipei', name: '林美' });
    // 23.5 hours ahead: 2026-…T… in Taipei is 8 hours later than UTC.
    const when = at(23.5 * HOUR);
    const sessionId = await session(uid, when);
    const runs = await Promise.all([sendReminders(deps()), sendReminders(deps()), sendReminders(deps())]);
    expect(runs.reduce((n, r) => n + r.session24, 0)).toBe(1);
    expect(await remindersOf(uid)).toHaveLength(1);

    const id = `reminder-session24-${uid}-${sessionId}-${when.seconds}`;
    const mail = await queued(id);
    const taipei = new Intl.DateTimeFormat('zh-TW', { timeZone: 'Asia/Taipei', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(when.toDate());
    expect(mail).toMatchObject({ to_email: `${uid}@example.com`, template_slug: 'session_reminder', lang: 'zh-TW', user_id: uid, status: 'pending' });
    expect(mail?.variables).toMatchObject({ name: '林美', soon: false, time_zone: 'Asia/Taipei' });
    const whenText = (mail?.variables as { when: string }).when;
    expect(whenText).toContain(taipei);
    expect(whenText).toMatch(/年.*月.*日/);
    expect(mail?.valid_if).toMatchObject({ path: `users/${uid}/sessions/${sessionId}`, field: 'session_date', statuses: ['scheduled'] });
    const item = (
      await env.db
        .doc(inbox.docPath({ uid, itemId: id }))
        .withConverter(inbox.converter)
        .get()
    ).data();
    expect(item).toMatchObject({ type: 'reminder', title: '您的輔導在明天', message: `您的輔導時間為 ${whenText}。`, read: false });
    expect(item?.expires_at?.toMillis()).toBe(when.toMillis());

    // The e-mail goes out in Traditional Chinese.
    expect(await onQueuedEmail({ params: { emailId: id } }, env.emailDeps())).toBe('sent');
    const sent = env.resend.requests.find((r) => r.idempotencyKey === id);
    expect(sent?.body.subject).toBe('提醒：您的輔導在明天');
    expect(sent?.body.text).toContain(whenText);
  });

  it('1 h before, the second reminder (its own id); cancelled sessions get none', async () => {
    const uid = uniq('u');
    await seedProfile(env.db, uid, { email: `${uid}@example.com`, lang: 'en', timezone: 'Europe/London' });
    const soon = await session(uid, at(40 * 60_000));
    await session(uid, at(30 * 60_000), 'cancelled');
    const report = await sendReminders(deps());
    expect(report.session1).toBeGreaterThanOrEqual(1);
    const mine = await remindersOf(uid);
    expect(mine).toEqual([expect.stringMatching(new RegExp(`^reminder-session1-${uid}-${soon}-`)) as unknown]);
    const mail = await queued(mine[0] as string);
    expect(mail?.variables).toMatchObject({ soon: true });
  });

  it('a moved session gets no reminder for its old time: none at the old time, a cancelled queued one, new ones for the new time', async () => {
    const uid = uniq('u');
    await seedProfile(env.db, uid, { email: `${uid}@example.com`, lang: 'en', timezone: 'America/New_York' });
    const oldTime = at(23.5 * HOUR);
    const sessionId = await session(uid, oldTime);
    await sendReminders(deps());
    const oldId = `reminder-session24-${uid}-${sessionId}-${oldTime.seconds}`;
    expect(await queued(oldId)).toMatchObject({ status: 'pending' });

    // Moved two days later before the reminder went out (as the Cal.com webhook moves a session).
    const newTime = at(3 * 24 * HOUR);
    await env.db.doc(sessions.docPath({ uid, sessionId })).update({ session_date: newTime, updated_at: Timestamp.now() });
    const before = env.resend.requests.length;
    expect(await onQueuedEmail({ params: { emailId: oldId } }, env.emailDeps())).toBe('cancelled');
    expect(env.resend.requests.length).toBe(before);
    expect((await queued(oldId))?.error).toMatch(/moved: session_date is no longer/);

    // Half an hour before the old time: no 1-hour reminder for it.
    env.clock.advance(23 * HOUR);
    await sendReminders(deps());
    expect(await remindersOf(uid)).toEqual([oldId]);

    // A day before the new time: its reminder, under its own id.
    env.clock.advance(newTime.toMillis() - env.clock.now().getTime() - 23.5 * HOUR);
    await sendReminders(deps());
    const ids = await remindersOf(uid);
    expect(ids.sort()).toEqual([oldId, `reminder-session24-${uid}-${sessionId}-${newTime.seconds}`].sort());
    // Cancelled afterwards: the queued reminder is not sent either.
    await env.db.doc(sessions.docPath({ uid, sessionId })).update({ status: 'cancelled' });
    expect(await onQueuedEmail({ params: { emailId: `reminder-session24-${uid}-${sessionId}-${newTime.seconds}` } }, env.emailDeps())).toBe('cancelled');
  });
});

describe('event reminders', () => {
  it('24 h before an event: registered users in their language and time zone (e-mail and inbox), guests by e-mail in the event’s time zone', async () => {
    const eventId = uniq('ev-');
    const start = at(23.25 * HOUR);
    await put(env.db.doc(events.docPath({ eventId })).withConverter(events.converter), {
      slug: eventId,
      title: 'Growth Workshop',
      description: null,
      start_time: start,
      end_time: null,
      timezone: 'America/Los_Angeles',
      location: 'Online',
      capacity: null,
      registered_count: 3,
      cover_image: null,
      published: true,
      tags: null,
      metadata: null,
      created_at: null,
      updated_at: null,
    });
    const uid = uniq('u');
    await seedProfile(env.db, uid, { email: `${uid}@example.com`, lang: 'zh-CN', timezone: 'Asia/Shanghai' });
    const reg = (registrationId: string, userId: string | null, email: string, status: string) =>
      put(env.db.doc(eventRegistrations.docPath({ eventId, registrationId })).withConverter(eventRegistrations.converter), {
        event_id: eventId,
        user_id: userId,
        attendee_email: email,
        attendee_name: null,
        ticket_type: null,
        status,
        checked_in: false,
        payment_status: 'paid',
        amount_paid_minor: 0,
        currency: null,
        metadata: null,
        registered_at: null,
        updated_at: null,
      });
    await reg('r-user', uid, `${uid}@example.com`, 'registered');
    await reg('r-guest', null, 'guest@example.com', 'registered');
    await reg('r-gone', null, 'gone@example.com', 'cancelled');
    const first = await sendReminders(deps());
    expect(first.event24).toBe(2);
    expect((await sendReminders(deps())).event24).toBe(0);

    const userMail = await queued(`reminder-event24-${eventId}-r-user-${start.seconds}`);
    expect(userMail).toMatchObject({ template_slug: 'event_reminder', lang: 'zh-CN', subject: '明天：Growth Workshop' });
    const shanghai = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
      start.toDate(),
    );
    expect((userMail?.variables as { when: string }).when).toContain(shanghai);
    expect(await remindersOf(uid)).toEqual([`reminder-event24-${eventId}-r-user-${start.seconds}`]);

    const guestMail = await queued(`reminder-event24-${eventId}-r-guest-${start.seconds}`);
    const la = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/Los_Angeles', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
      start.toDate(),
    );
    expect(guestMail).toMatchObject({ to_email: 'guest@example.com', lang: 'en' });
    expect((guestMail?.variables as { when: string }).when).toContain(la);
    expect(await queued(`reminder-event24-${eventId}-r-gone-${start.seconds}`)).toBeUndefined();
  });
});

describe('the inbox', () => {
  const item = (uid: string, itemId: string, f: { read?: boolean | null; expires?: Timestamp | null }) =>
    put(env.db.doc(inbox.docPath({ uid, itemId })).withConverter(inbox.converter), {
      user_id: uid,
      type: 'nudge',
      title: null,
      message: 'Keep going',
      action_url: null,
      read: f.read === undefined ? false : f.read,
      read_at: null,
      metadata: null,
      created_at: Timestamp.now(),
      expires_at: f.expires ?? null,
    });

  it('the daily job deletes items past their expiry, across users, and keeps the others', async () => {
    const [a, b] = [uniq('u'), uniq('u')];
    await item(a, 'old', { expires: at(-HOUR) });
    await item(b, 'old', { expires: at(-60_000) });
    await item(a, 'later', { expires: at(HOUR) });
    await item(b, 'forever', { expires: null });
    const res = await expireInboxItems(deps());
    expect(res.deleted).toBeGreaterThanOrEqual(2);
    const left = async (uid: string) => (await env.db.collection(inbox.collectionPath({ uid })).get()).docs.map((d) => d.id);
    expect(await left(a)).toEqual(['later']);
    expect(await left(b)).toEqual(['forever']);
  });

  it('markInboxRead marks the given ids (the caller’s only), or all unread (migrated read: null included)', async () => {
    const me = { uid: uniq('u'), token: { email: 'me@example.com', email_verified: true, roles: ['client'] } };
    const other = uniq('u');
    await item(me.uid, 'a', {});
    await item(me.uid, 'b', {});
    await item(me.uid, 'c', { read: null });
    await item(other, 'a', {});
    const call = (data: unknown) => runCallable(markInboxRead, markRead, { data, auth: asAuthData(me) }, deps());
    expect(await call({ ids: ['a', 'missing'] })).toEqual({ updated: 1 });
    const read = async (uid: string, id: string) =>
      (
        await env.db
          .doc(inbox.docPath({ uid, itemId: id }))
          .withConverter(inbox.converter)
          .get()
      ).data();
    expect(await read(me.uid, 'a')).toMatchObject({ read: true });
    expect((await read(me.uid, 'a'))?.read_at).toBeInstanceOf(Timestamp);
    expect(await read(other, 'a')).toMatchObject({ read: false });
    expect(await call({ all: true })).toEqual({ updated: 2 });
    expect([await read(me.uid, 'b'), await read(me.uid, 'c')].map((d) => d?.read)).toEqual([true, true]);
    expect(await read(other, 'a')).toMatchObject({ read: false });
    await expect(call({ ids: [] })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(runCallable(markInboxRead, markRead, { data: { all: true }, auth: undefined }, deps())).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});
