/** Reads what `npm start` put into its own Firestore emulator (this test file's process only talks to that one). */
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getFirestore, Timestamp } from 'firebase-admin/firestore';
import { eventPrices, events, orders, receipts, sessions, users, type UserDoc } from '@zhengrowth/model';

export interface DemoSnapshot {
  /** Upcoming published events and the amounts of their active prices. */
  upcoming: Array<{ title: string; amounts: number[] }>;
  profiles: Record<string, UserDoc | undefined>;
  client: { paidOrders: string[]; receiptOrders: string[]; registrations: number; sessionsNextWeek: number };
  coachSessionsNextWeek: number;
}

export async function readDemo(firestoreHost: string, projectId: string, emails: readonly string[]): Promise<DemoSnapshot> {
  // The Admin SDK takes the emulator from the environment when it first connects.
  process.env.FIRESTORE_EMULATOR_HOST = firestoreHost;
  const app = initializeApp({ projectId }, `npm-start-${Date.now()}`);
  const db = getFirestore(app);
  try {
    const now = Timestamp.now();
    const weekAhead = Timestamp.fromMillis(Date.now() + 8 * 86_400_000);
    const evs = await db.collection(events.collectionPath({})).withConverter(events.converter).where('start_time', '>', now).get();
    const upcoming = [];
    for (const e of evs.docs.filter((d) => d.data().published === true)) {
      const prices = await db
        .collection(eventPrices.collectionPath({ eventId: e.id }))
        .withConverter(eventPrices.converter)
        .get();
      upcoming.push({ title: e.data().title, amounts: prices.docs.filter((p) => p.data().active !== false).map((p) => p.data().amount_minor) });
    }
    const profiles: DemoSnapshot['profiles'] = {};
    for (const email of emails) {
      const found = await db.collection(users.collectionPath({})).withConverter(users.converter).where('email', '==', email).get();
      profiles[email] = found.docs[0]?.data();
    }
    const uidOf = async (email: string): Promise<string> => {
      const found = await db.collection(users.collectionPath({})).where('email', '==', email).get();
      const id = found.docs[0]?.id;
      if (!id) throw new Error(`no users document for ${email}`);
      return id;
    };
    const [coachUid, clientUid] = [await uidOf(emails[1] ?? ''), await uidOf(emails[2] ?? '')];
    const paid = await db.collection(orders.collectionPath({})).withConverter(orders.converter).where('user_id', '==', clientUid).get();
    const rcpts = await db
      .collection(receipts.collectionPath({ uid: clientUid }))
      .withConverter(receipts.converter)
      .get();
    const regs = await db.collectionGroup('registrations').where('user_id', '==', clientUid).get();
    const inWeek = (t: { toMillis(): number } | null | undefined): boolean => !!t && t.toMillis() > now.toMillis() && t.toMillis() < weekAhead.toMillis();
    const clientSessions = await db
      .collection(sessions.collectionPath({ uid: clientUid }))
      .withConverter(sessions.converter)
      .get();
    const coachSessions = await db.collectionGroup('sessions').where('coach_id', '==', coachUid).get();
    return {
      upcoming,
      profiles,
      client: {
        paidOrders: paid.docs.filter((d) => d.data().status === 'paid').map((d) => d.id),
        receiptOrders: rcpts.docs.map((d) => d.data().order_id ?? ''),
        registrations: regs.size,
        sessionsNextWeek: clientSessions.docs.filter((d) => d.data().status === 'scheduled' && inWeek(d.data().session_date)).length,
      },
      coachSessionsNextWeek: coachSessions.docs.filter((d) => inWeek(d.get('session_date') as Timestamp | null)).length,
    };
  } finally {
    await db.terminate();
    await deleteApp(app);
  }
}
