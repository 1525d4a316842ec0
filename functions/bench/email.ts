/**
 * `npm run bench:email`: 2,000 queued e-mails sent through the queue's own code (the trigger's
 * handler and the every-minute sweep) against the real Firestore emulator and the stand-in of
 * Resend's API, which answers 10 % of requests 429 (retry-after 1 s) and 5 % 500 at random.
 * Prints e-mails per second and queue-to-sent latency percentiles, then audits that each e-mail
 * reached the stand-in exactly once and that every item ended sent. Figures only: nothing here
 * asserts a speed (an audit failure exits 1).
 *
 * The 2,000 items are written at once (a burst, as after an event sale); their trigger deliveries
 * are handled WIDTH at a time (Cloud Functions instances), one in ten delivered twice (at least
 * once), and the sweep runs every minute beside them, as in production. Real clocks and sleeps.
 * Starts its own Firestore emulator, and stops it.
 */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { emailLogs, emailQueue, type EmailQueueDoc } from '@zhengrowth/model';
import { percentile, startEmulators } from '@zhengrowth/devstack';
import { testFirebase, testProjectId } from '@zhengrowth/devstack/testing';
import type { EmailDeps } from '../src/messaging/email/deps.js';
import { sleep } from '../src/messaging/email/deps.js';
import { resendGateway } from '../src/messaging/email/gateway.js';
import { DEFAULT_RETRY_POLICY } from '../src/messaging/email/retry.js';
import { sweepEmailQueue } from '../src/messaging/email/sweep.js';
import { firestoreTemplateStore } from '../src/messaging/email/template-store.js';
import { onQueuedEmail } from '../src/messaging/email/triggers.js';
import { queueEmail } from '../src/shared/outbox.js';
import { loadEmailTemplates } from '../src/messaging/templates/index.js';
import { startResendStandIn } from '../test/support/resend-standin.js';

const TOTAL = 2000;
const WIDTH = 32;
const DUPLICATE_EVERY = 10;
const SWEEP_EVERY_MS = 60_000;
const LANGS = ['en', 'zh-CN', 'zh-TW'] as const;

/** A small seeded generator: the same failures on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function enqueueAll(db: Firestore): Promise<string[]> {
  const ids = Array.from({ length: TOTAL }, (_, i) => `bench-${String(i).padStart(5, '0')}`);
  for (let i = 0; i < ids.length; i += 250) {
    await db.runTransaction((tx) => {
      const now = Timestamp.now();
      for (const [k, id] of ids.slice(i, i + 250).entries()) {
        queueEmail(
          tx,
          db,
          id,
          {
            to: `reader${i + k}@example.com`,
            template: 'order_confirmation',
            subject: 'Your order',
            text: 'Thank you',
            lang: LANGS[(i + k) % 3],
            variables: { order_id: id, order_number: `ZG-${id}`, total: '22.50 USD', currency: 'USD', name: `Reader ${i + k}`, lines: '1 × Growth package' },
          },
          now,
        );
      }
      return Promise.resolve();
    });
  }
  return ids;
}

async function main(): Promise<void> {
  console.log('▶ starting the Firestore emulator');
  const suite = await startEmulators({ only: ['firestore'], timeoutMs: 300_000 });
  Object.assign(process.env, suite.env);
  const fb = testFirebase(testProjectId('bench-email'));
  const resend = await startResendStandIn();
  try {
    await loadEmailTemplates(fb.db);
    resend.randomFailures = { p429: 0.1, p500: 0.05, retryAfterSeconds: 1, random: mulberry32(13) };
    const deps: EmailDeps = {
      db: fb.db,
      now: () => new Date(),
      gateway: (() => {
        const g = resendGateway({ apiKey: 're_bench', apiBase: resend.origin });
        return () => g;
      })(),
      templates: firestoreTemplateStore(fb.db),
      from: 'ZhenGrowth <hello@zhengrowth.test>',
      replyTo: '',
      retry: DEFAULT_RETRY_POLICY,
      leaseMs: 90_000,
      logRetentionDays: 180,
      unsubscribe: { url: 'https://functions.zhengrowth.test/unsubscribe', secret: 'bench' },
      random: Math.random,
      sleep,
    };

    console.log(
      `▶ queueing ${TOTAL.toLocaleString('en')} e-mails, then sending them (${WIDTH} trigger deliveries at a time, every ${DUPLICATE_EVERY}th delivered twice, the sweep every ${SWEEP_EVERY_MS / 1000} s)`,
    );
    const t0 = Date.now();
    const ids = await enqueueAll(fb.db);
    const deliveries = ids.flatMap((id, i) => (i % DUPLICATE_EVERY === 0 ? [id, id] : [id]));
    let next = 0;
    let finished = false;
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const sweeps: number[] = [];
    const sweeper = (async () => {
      while (!finished) {
        await Promise.race([new Promise((r) => setTimeout(r, SWEEP_EVERY_MS).unref()), stopped]);
        if (finished) break;
        const r = await sweepEmailQueue(deps);
        sweeps.push(r.examined);
      }
    })();
    await Promise.all(
      Array.from({ length: WIDTH }, async () => {
        while (next < deliveries.length) await onQueuedEmail({ params: { emailId: deliveries[next++] as string } }, deps);
      }),
    );
    // Items waiting for a retry longer than the inline limit are the sweep's: wait until none is left.
    const pending = async () =>
      (await fb.db.collection(emailQueue.collectionPath({})).where('status', 'in', ['pending', 'sending']).count().get()).data().count;
    while ((await pending()) > 0) await sleep(2000);
    finished = true;
    stop();
    const wall = (Date.now() - t0) / 1000;

    const docs = (await fb.db.collection(emailQueue.collectionPath({})).withConverter(emailQueue.converter).get()).docs.map(
      (d) => [d.id, d.data()] as [string, EmailQueueDoc],
    );
    const latencies = docs
      .filter(([, d]) => d.status === 'sent' && d.sent_at && d.created_at)
      .map(([, d]) => (d.sent_at?.toMillis() ?? 0) - (d.created_at?.toMillis() ?? 0))
      .sort((a, b) => a - b);
    const attempts = new Map<number, number>();
    for (const [, d] of docs) attempts.set(d.attempts ?? 0, (attempts.get(d.attempts ?? 0) ?? 0) + 1);
    const byKey = new Map<string, number>();
    for (const d of resend.deliveries) byKey.set(d.idempotencyKey ?? '', (byKey.get(d.idempotencyKey ?? '') ?? 0) + 1);
    const statusCount = (s: number) => resend.requests.filter((r) => r.status === s).length;
    const logs = (await fb.db.collection(emailLogs.collectionPath({})).count().get()).data().count;

    const problems: string[] = [];
    const notSent = docs.filter(([, d]) => d.status !== 'sent');
    if (docs.length !== TOTAL) problems.push(`${docs.length} queue items, expected ${TOTAL}`);
    if (notSent.length)
      problems.push(
        `${notSent.length} items not sent (${notSent
          .slice(0, 3)
          .map(([id, d]) => `${id}: ${d.status} ${d.error ?? ''}`)
          .join('; ')})`,
      );
    const twice = [...byKey.entries()].filter(([, n]) => n > 1);
    if (twice.length)
      problems.push(
        `${twice.length} e-mails delivered more than once (${twice
          .slice(0, 3)
          .map(([k]) => k)
          .join(', ')})`,
      );
    const never = ids.filter((id) => !byKey.has(id));
    if (never.length) problems.push(`${never.length} e-mails never delivered`);
    const wrongId = docs.filter(([id, d]) => d.provider_id !== resend.deliveries.find((x) => x.idempotencyKey === id)?.id);
    if (wrongId.length) problems.push(`${wrongId.length} items record another provider id than the stand-in gave`);

    console.log(`
E-mail queue benchmark (${new Date().toISOString().slice(0, 10)})
  e-mails            ${TOTAL.toLocaleString('en')} queued in one burst; ${deliveries.length.toLocaleString('en')} trigger deliveries (${deliveries.length - TOTAL} duplicates), ${WIDTH} at a time
  stand-in answers   ${resend.requests.length.toLocaleString('en')} requests: ${statusCount(200)} × 200, ${statusCount(429)} × 429 (retry-after 1 s), ${statusCount(500)} × 500; ${resend.replays} idempotent replays
  wall time          ${wall.toFixed(1)} s   throughput ${(TOTAL / wall).toFixed(1)} e-mails/s
  queue → sent (ms)  p50 ${percentile(latencies, 50).toFixed(0)}  p90 ${percentile(latencies, 90).toFixed(0)}  p99 ${percentile(latencies, 99).toFixed(0)}  max ${(latencies.at(-1) ?? NaN).toFixed(0)}
  attempts per item  ${[...attempts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([n, c]) => `${n}: ${c}`)
    .join('  ')}
  sweeps             ${sweeps.length} (items examined: ${sweeps.join(', ') || '–'})
  email_logs         ${logs.toLocaleString('en')} attempt records
  audit              ${problems.length ? `FAILED\n    ${problems.join('\n    ')}` : `every e-mail delivered to the stand-in exactly once; all ${TOTAL.toLocaleString('en')} items sent`}`);
    await sweeper;
    if (problems.length) process.exitCode = 1;
  } finally {
    await resend.close();
    await fb.close();
    await suite.stop();
  }
}

await main();
