/**
 * The README's first promise, the way a developer meets it: `npm start` through the npm CLI (on
 * free ports) builds, starts the emulators with our functions, fills them with demo data dated
 * from today, serves the health callable and streams the functions' logs; SIGTERM (what IDE stop
 * buttons and process managers send), SIGINT or SIGHUP to the npm process stops every process it
 * started within seconds, frees every port and leaves nothing in the temp folder.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '@zhengrowth/migration/seed';
import { readDemo } from './start/demo-firestore.js';
import { alive, bannerPorts, commandOf, listening, processTree, startNpm, tempLeftovers, within, type NpmStart } from './start/npm-start.js';

const READY = /Press Ctrl-C to stop\./;
let run: NpmStart | undefined;

afterEach(() => {
  run?.kill();
  run = undefined;
});

/** Signals npm, then checks that everything went: processes (recorded while it ran), ports, temp files. */
async function stopsCleanly(r: NpmStart, signal: NodeJS.Signals, expected = { npmExit: 0, scriptGot: signal }): Promise<void> {
  const tree = processTree(r.pid);
  const ports = bannerPorts(r.output());
  // Sanity: what we are about to check for is really there.
  expect(tree.map(commandOf).join('\n')).toMatch(/scripts\/start\.ts[\s\S]*firebase[\s\S]*java/);
  expect(ports.length).toBeGreaterThanOrEqual(8);
  for (const p of ports) expect(await listening(p), `port ${p} before the signal`).toBe(true);

  process.kill(r.pid, signal);
  const gone = await within(20, async () => !tree.some(alive) && (await Promise.all(ports.map(listening))).every((open) => !open));
  const left = tree.filter(alive).map((p) => `${p} ${commandOf(p)}`);
  const open = (await Promise.all(ports.map(async (p) => ((await listening(p)) ? p : null)))).filter((p) => p !== null);
  expect({ left, open }, r.output().slice(-2000)).toEqual({ left: [], open: [] });
  expect(gone, 'seconds until everything was gone').not.toBeNull();
  expect(await r.exited).toBe(expected.npmExit);
  expect(r.output()).toMatch(new RegExp(`${expected.scriptGot}: stopping everything npm start started`));
  // No fire_emu_*.sock, no generated config, no emulator folder left in the temp folder.
  expect(tempLeftovers(r.tmp)).toEqual([]);
}

describe('npm start', () => {
  it('serves the health callable with living demo data and streams function logs; SIGTERM to npm stops everything', async () => {
    run = startNpm(['--free-ports']);
    await run.waitFor(READY, 480_000);
    const out = run.output();
    expect(out).toMatch(/"ok":true/);
    expect(out).toMatch(/"firestore":"reachable"/);
    const health = /Health callable\s+(http:\/\/127\.0\.0\.1:\d+\/demo-zhengrowth\/us-central1)\/health/.exec(out);
    expect(health).not.toBeNull();
    expect(out).toMatch(/connectFirestoreEmulator/);
    expect(out).toMatch(/Everything the emulators print is in \S+emulators\.log/);

    // Demo data dated from today, read back from the running stack's Firestore.
    const firestore = /Firestore emulator\s+(127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
    const demo = await readDemo(
      firestore,
      'demo-zhengrowth',
      DEMO_ACCOUNTS.map((a) => a.email),
    );
    expect(
      demo.upcoming.some((e) => e.amounts.includes(0) && e.amounts.some((a) => a > 0)),
      JSON.stringify(demo.upcoming),
    ).toBe(true);
    for (const account of DEMO_ACCOUNTS) {
      const p = demo.profiles[account.email];
      expect(p?.email, account.email).toBe(account.email);
      expect([...(p?.roles ?? [])].sort(), `${account.email} roles`).toEqual([...account.roles].sort());
      for (const field of ['name', 'lang', 'timezone', 'avatar_url'] as const) expect(p?.[field], `${account.email} ${field}`).toEqual(expect.any(String));
    }
    expect(demo.client.paidOrders.length).toBeGreaterThanOrEqual(1);
    expect(demo.client.receiptOrders).toEqual(expect.arrayContaining(demo.client.paidOrders));
    expect(demo.client.registrations).toBeGreaterThanOrEqual(1);
    expect(demo.client.sessionsNextWeek).toBeGreaterThanOrEqual(1);
    expect(demo.coachSessionsNextWeek).toBeGreaterThanOrEqual(2);

    // A function's warning reaches the terminal: one line, level and function name.
    const res = await fetch(`${health?.[1]}/stripeWebhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(400);
    await run.waitFor(/^ {2}\d\d:\d\d:\d\d WARN {2}stripeWebhook: .*missing Stripe-Signature/m, 60_000);

    await stopsCleanly(run, 'SIGTERM');
  }, 900_000);

  it('SIGINT to npm stops everything too', async () => {
    run = startNpm(['--free-ports'], { ZG_DEMO_SCALE: '0.02' });
    await run.waitFor(READY, 480_000);
    await stopsCleanly(run, 'SIGINT');
  }, 900_000);

  it('SIGHUP kills npm without a word to its child: the watchdog, which watches npm, stops everything', async () => {
    run = startNpm(['--free-ports'], { ZG_DEMO_SCALE: '0.02' });
    await run.waitFor(READY, 480_000);
    // npm dies of the signal (exit -1 here); the watchdog sends the orphaned script SIGTERM and kills the emulators.
    await stopsCleanly(run, 'SIGHUP', { npmExit: -1, scriptGot: 'SIGTERM' });
  }, 900_000);
});
