/**
 * The coach's workspace as the web app uses it, through the typed client and the web SDK against
 * the emulators: an admin assigns a client; the coach sees them in `listMyClients`, reads their
 * sessions and writes notes and action items; nudges them (the client reads it in their inbox);
 * and reaches no one else — another coach's session of a stranger can be neither read nor
 * written, and a nudge to the stranger is refused.
 */
import { doc, getDoc, serverTimestamp, setDoc, updateDoc } from 'firebase/firestore';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '@zhengrowth/model';
import { listClientSessions, listInbox, saveSessionNotes } from '@zhengrowth/client';
import { put, type TestFirebase } from '@zhengrowth/devstack/testing';
import { adminOfWebProject, refusal, signUp, webSessions } from './support/web.js';

let admin: TestFirebase;
const web = webSessions();
beforeAll(() => {
  admin = adminOfWebProject();
});
afterAll(async () => {
  await web.closeAll();
  await admin?.close();
});

async function session(client: string, coach: string, inDays: number): Promise<string> {
  const ref = admin.db
    .collection(sessions.collectionPath({ uid: client }))
    .doc()
    .withConverter(sessions.converter);
  await put(ref, {
    user_id: client,
    coach_id: coach,
    booking_id: null,
    session_date: Timestamp.fromMillis(Date.now() + inDays * 86_400_000),
    notes: null,
    action_items: null,
    status: 'confirmed',
    created_at: Timestamp.now(),
    updated_at: null,
  });
  return ref.id;
}

describe("the coach's workspace through the client", () => {
  it('lists my clients, reads and writes their sessions, nudges them, and reaches nobody else', async () => {
    const [boss, coachS, clientS] = [web.open(), web.open(), web.open()];
    await signUp(boss, admin, { roles: ['admin'] });
    const coach = await signUp(coachS, admin, { roles: ['coach'] });
    const client = await signUp(clientS, admin, { roles: ['client'] });
    // Another coach and their client need no browser: accounts are enough.
    const [other, stranger] = await Promise.all([admin.auth.createUser({}), admin.auth.createUser({})]);
    await boss.api.assignCoach({ client_uid: client.uid, coach_uid: coach.uid });
    const next = await session(client.uid, coach.uid, 2);
    const theirs = await session(stranger.uid, other.uid, 2);

    const { clients } = await coachS.api.listMyClients({});
    expect(clients.map((c) => [c.uid, c.next_session?.session_id])).toEqual([[client.uid, next]]);
    expect((await refusal(clientS.api.listMyClients({}))).code).toBe('permission-denied');

    const read = await listClientSessions(coachS.db, coach.uid, client.uid);
    expect(read.docs.map((d) => d.id)).toEqual([next]);
    await saveSessionNotes(coachS.db, client.uid, next, { notes: 'Talked about habits', action_items: [{ task: 'Journal daily', done: false, due: null }] });
    expect((await admin.db.doc(sessions.docPath({ uid: client.uid, sessionId: next })).get()).data()).toMatchObject({
      notes: 'Talked about habits',
      action_items: [{ task: 'Journal daily', done: false, due: null }],
    });
    expect((await coachS.api.listMyClients({})).clients[0]?.open_action_items).toBe(1);

    // A stranger's session held by another coach: neither read nor written; no nudge.
    await expect(getDoc(doc(coachS.db, `users/${stranger.uid}/sessions/${theirs}`))).rejects.toMatchObject({ code: 'permission-denied' });
    await expect(saveSessionNotes(coachS.db, stranger.uid, theirs, { notes: 'not mine' })).rejects.toMatchObject({ code: 'permission-denied' });
    expect((await refusal(coachS.api.nudgeClient({ client_uid: stranger.uid, message: 'hello' }))).code).toBe('permission-denied');

    // The lead pipeline: a coach enters a lead (and keeps it); no client creates one directly; the
    // stage moves through moveLead only; other fields directly.
    const leadEmail = `lead-${client.uid}@example.com`.toLowerCase();
    const { lead_id: leadId, created } = await coachS.api.addLead({ email: leadEmail, name: 'Met at the fair', source: 'fair' });
    expect(created).toBe(true);
    expect((await admin.db.doc(`leads/${leadId}`).get()).data()).toMatchObject({ email: leadEmail, stage: 'new', owner: coach.uid, source: 'fair' });
    await expect(setDoc(doc(coachS.db, `leads/direct-${client.uid}`), { email: leadEmail, created_at: serverTimestamp() })).rejects.toMatchObject({
      code: 'permission-denied',
    });
    await expect(updateDoc(doc(coachS.db, `leads/${leadId}`), { stage: 'won' })).rejects.toMatchObject({ code: 'permission-denied' });
    await updateDoc(doc(coachS.db, `leads/${leadId}`), { notes: 'Called twice' });
    expect(await coachS.api.moveLead({ lead_id: leadId, stage: 'contacted', note: 'first call' })).toEqual({
      lead_id: leadId,
      stage: 'contacted',
      changed: true,
    });
    expect((await refusal(coachS.api.moveLead({ lead_id: leadId, stage: 'won' }))).code).toBe('failed-precondition');
    expect((await admin.db.doc(`leads/${leadId}`).get()).data()).toMatchObject({ stage: 'contacted', notes: 'Called twice' });

    const { item_id } = await coachS.api.nudgeClient({ client_uid: client.uid, message: 'How is the journal going?' });
    const inbox = await listInbox(clientS.db, client.uid);
    expect(inbox.docs.find((d) => d.id === item_id)?.data).toMatchObject({ type: 'coach_nudge', message: 'How is the journal going?' });
  });
});
