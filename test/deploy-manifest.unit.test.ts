/**
 * The deploy manifest as `firebase deploy` reads it (every export's endpoint): each function's
 * region, timeout and instance cap are deliberate (the cap of its kind: a callable's by its
 * contract's access, webhooks, public HTTP, schedules, triggers), public endpoints are capped, schedules run in
 * UTC with a retry policy, Firestore and Auth triggers retry unless they say why not, secrets go
 * only where they are used, every callable carries its contract's access and App Check setting
 * (and a public one refuses a call without a token once APP_CHECK_ENFORCE is on), and no test
 * fixture is deployed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@zhengrowth/devstack';
import { API, type CallableName } from '@zhengrowth/model';
import { MAX_INSTANCES } from '../functions/src/core/instances.js';
import { valuesOf } from '../functions/src/core/param-rules.js';
import { loadFunctions } from '../scripts/docs/functions-doc.js';

interface Endpoint {
  platform?: string;
  region?: unknown;
  availableMemoryMb?: number | null;
  timeoutSeconds?: number | null;
  maxInstances?: number | null;
  labels?: Record<string, string>;
  secretEnvironmentVariables?: Array<{ key: string }>;
  callableTrigger?: object;
  httpsTrigger?: { invoker?: string[] | null };
  eventTrigger?: { eventType: string; retry?: boolean };
  scheduleTrigger?: { schedule: string; timeZone?: string; retryConfig?: { retryCount?: number } };
}

/** Triggers that do not retry, and why: their work is picked up by a schedule or goes stale. */
const NO_RETRY: Record<string, string> = {
  sendQueuedEmail: 'the every-minute sweep (processEmailQueue) takes over an item whose trigger failed',
  pushInboxItem: 'a push is worth sending only while fresh; its job record makes a redelivery a no-op',
};

/** The only functions that hold each provider's secrets. */
const SECRET_HOLDERS: Record<string, RegExp> = {
  STRIPE_WEBHOOK_SECRET: /^stripeWebhook$/,
  AIRWALLEX_WEBHOOK_SECRET: /^airwallexWebhook$/,
  CAL_WEBHOOK_SECRET: /^calWebhook$/,
  CAL_API_KEY: /^syncCalEventTypes(Daily)?$/,
  RESEND_WEBHOOK_SECRET: /^resendWebhook$/,
  GEMINI_API_KEY: /^(getSuggestions|getClientBrief|generateSocialDrafts)$/,
  RESEND_API_KEY: /^(sendQueuedEmail|processEmailQueue)$/,
  VAPID_PRIVATE_KEY: /^(pushInboxItem|broadcastPush)$/,
  SOCIAL_TOKEN_KEYS: /social|Social/,
  STRIPE_SECRET_KEY: /Checkout|Registration|checkIn|manageBooking|registerForEvent|refundOrder|expireStaleOrders/,
};

let endpoints: Array<[string, Endpoint]>;
let exportsOf: Record<string, unknown>;
beforeAll(async () => {
  const loaded = await loadFunctions();
  exportsOf = loaded.exports;
  endpoints = Object.entries(loaded.exports)
    .map(([name, fn]): [string, Endpoint | undefined] => [name, (fn as { __endpoint?: Endpoint } | undefined)?.__endpoint])
    .filter((e): e is [string, Endpoint] => e[1] !== undefined);
}, 60_000);

const regionOf = (ep: Endpoint): string => String(Array.isArray(ep.region) ? ep.region[0] : ep.region);
const isPublicHttp = (ep: Endpoint): boolean => ep.httpsTrigger?.invoker?.includes('public') === true;

/**
 * Resident memory of a cold load, the worst function (bench:coldstart, docs/benchmarks.md: bare
 * callable 88 MB plus at most 41 MB, as deployed with the build's compile cache), and the headroom
 * a function keeps over it for its work.
 */
const COLD_LOAD_MB = 129;
const HEADROOM_MB = 96;

/** The instance cap of an endpoint's kind (core/instances.ts). */
function capOf(name: string, ep: Endpoint): number {
  if (ep.callableTrigger) return name in API ? MAX_INSTANCES[API[name as CallableName].access] : MAX_INSTANCES.public;
  if (ep.scheduleTrigger) return MAX_INSTANCES.schedule;
  if (ep.httpsTrigger) return name.endsWith('Webhook') ? MAX_INSTANCES.webhook : MAX_INSTANCES.public;
  return MAX_INSTANCES.trigger;
}

/** What a callable's contract implies for its manifest: its access, and App Check for the public ones. */
function callableLabelProblems(name: string, ep: Endpoint): string[] {
  const access = name in API ? API[name as CallableName].access : undefined;
  if (!access) return [`${name} has no contract`];
  const appCheck = access === 'public' ? 'required' : 'not-required';
  const out: string[] = [];
  if (ep.labels?.access !== access) out.push(`access label ${String(ep.labels?.access)}: its contract's access is ${access}`);
  if (ep.labels?.['app-check'] !== appCheck) out.push(`app-check label ${String(ep.labels?.['app-check'])}: a ${access} callable's is ${appCheck}`);
  return out;
}

/** What is wrong with one endpoint of the manifest (nothing, for a function we deploy). */
function problemsOf(name: string, ep: Endpoint): string[] {
  const out: string[] = ep.callableTrigger ? callableLabelProblems(name, ep) : [];
  if (regionOf(ep) !== 'params.FUNCTIONS_REGION') out.push(`region ${regionOf(ep)} is not the FUNCTIONS_REGION param`);
  if (typeof ep.timeoutSeconds !== 'number') out.push('no timeoutSeconds');
  if (typeof ep.availableMemoryMb !== 'number') out.push('no memory declared');
  else if (ep.availableMemoryMb < COLD_LOAD_MB + HEADROOM_MB) out.push(`${ep.availableMemoryMb} MiB leaves no headroom over a cold load (${COLD_LOAD_MB} MB)`);
  if (typeof ep.maxInstances !== 'number' || ep.maxInstances > 100) out.push(`maxInstances ${String(ep.maxInstances)}: not a cap`);
  else if (ep.maxInstances !== capOf(name, ep)) out.push(`maxInstances ${ep.maxInstances}: its kind's cap is ${capOf(name, ep)}`);
  if (isPublicHttp(ep) && ((ep.availableMemoryMb ?? 256) > 256 || (ep.timeoutSeconds ?? 0) > 60 || (ep.maxInstances ?? 0) > 20)) {
    out.push('a public HTTP endpoint must stay small (256 MiB), short (60 s) and capped (20 instances)');
  }
  const s = ep.scheduleTrigger;
  if (s && (s.timeZone !== 'Etc/UTC' || typeof s.retryConfig?.retryCount !== 'number')) out.push('a schedule needs the UTC time zone and a retry policy');
  if (ep.eventTrigger && ep.eventTrigger.retry !== true && !(name in NO_RETRY)) out.push('a trigger that does not retry must say why (NO_RETRY)');
  for (const { key } of ep.secretEnvironmentVariables ?? []) {
    const holders = SECRET_HOLDERS[key];
    if (holders && !holders.test(name)) out.push(`holds ${key}, which it does not use`);
  }
  return out;
}

describe('the deploy manifest', () => {
  it('deploys no fixture: the benchmark baseline is a codebase of the benchmark run, not one of our exports', () => {
    expect(exportsOf.benchBaseline).toBeUndefined();
    const codebases = (JSON.parse(fs.readFileSync(path.join(repoRoot(), 'firebase.json'), 'utf8')) as { functions: Array<{ source: string }> }).functions;
    expect(codebases.map((c) => c.source)).toEqual(['functions']);
    expect(endpoints.length).toBeGreaterThanOrEqual(75);
  });

  it('every function runs in the region param, with a timeout, memory with headroom and an instance cap, its schedule in UTC, its trigger retried, its secrets its own', () => {
    const found = endpoints.map(([name, ep]) => [name, problemsOf(name, ep)] as const).filter(([, p]) => p.length > 0);
    expect(found).toEqual([]);
  });

  it('refuses a fixture endpoint that breaks the rules: uncapped and public, a cap not its kind’s, too little memory, a silent trigger, a stranger’s secret, a schedule in local time', () => {
    const region = 'params.FUNCTIONS_REGION';
    expect(problemsOf('probeWebhook', { region, timeoutSeconds: 60, availableMemoryMb: 1024, httpsTrigger: { invoker: ['public'] } })).toEqual([
      'maxInstances undefined: not a cap',
      'a public HTTP endpoint must stay small (256 MiB), short (60 s) and capped (20 instances)',
    ]);
    expect(
      problemsOf('probeTrigger', { region, availableMemoryMb: 256, timeoutSeconds: 60, maxInstances: 20, eventTrigger: { eventType: 'x', retry: false } }),
    ).toEqual(['a trigger that does not retry must say why (NO_RETRY)']);
    expect(
      problemsOf('health', {
        region,
        availableMemoryMb: 256,
        timeoutSeconds: 10,
        maxInstances: 10,
        labels: { access: 'public', 'app-check': 'required' },
        callableTrigger: {},
        secretEnvironmentVariables: [{ key: 'STRIPE_SECRET_KEY' }],
      }),
    ).toEqual(['holds STRIPE_SECRET_KEY, which it does not use']);
    // Memory below a cold load plus headroom, or none declared.
    expect(
      problemsOf('onPostWritten', { region, availableMemoryMb: 128, timeoutSeconds: 60, maxInstances: 20, eventTrigger: { eventType: 'x', retry: true } }),
    ).toEqual(['128 MiB leaves no headroom over a cold load (129 MB)']);
    expect(problemsOf('onPostWritten', { region, timeoutSeconds: 60, maxInstances: 20, eventTrigger: { eventType: 'x', retry: true } })).toEqual([
      'no memory declared',
    ]);
    // One number for all is not a choice: a public callable at a member's cap, an admin's at the public one.
    const labels = (access: string, appCheck: string) => ({ labels: { access, 'app-check': appCheck } });
    expect(
      problemsOf('track', { region, availableMemoryMb: 256, timeoutSeconds: 10, maxInstances: 20, callableTrigger: {}, ...labels('public', 'required') }),
    ).toEqual(["maxInstances 20: its kind's cap is 10"]);
    expect(
      problemsOf('refundOrder', {
        region,
        availableMemoryMb: 256,
        timeoutSeconds: 60,
        maxInstances: 10,
        callableTrigger: {},
        ...labels('admin', 'not-required'),
      }),
    ).toEqual(["maxInstances 10: its kind's cap is 3"]);
    // A public callable that does not require App Check, or whose manifest hides its access.
    expect(
      problemsOf('submitLead', {
        region,
        availableMemoryMb: 256,
        timeoutSeconds: 30,
        maxInstances: 10,
        callableTrigger: {},
        ...labels('public', 'not-required'),
      }),
    ).toEqual(["app-check label not-required: a public callable's is required"]);
    expect(problemsOf('addLead', { region, availableMemoryMb: 256, timeoutSeconds: 30, maxInstances: 5, callableTrigger: {} })).toEqual([
      "access label undefined: its contract's access is staff",
      "app-check label undefined: a staff callable's is not-required",
    ]);
    expect(
      problemsOf('nightly', {
        region: 'europe-west1',
        availableMemoryMb: 512,
        timeoutSeconds: 60,
        maxInstances: 1,
        scheduleTrigger: { schedule: '0 2 * * *', timeZone: 'Asia/Taipei' },
      }),
    ).toEqual(['region europe-west1 is not the FUNCTIONS_REGION param', 'a schedule needs the UTC time zone and a retry policy']);
  });

  it('public HTTP endpoints (webhooks, the OAuth callback, unsubscribe) are small, short and capped', () => {
    const open = endpoints.filter(([, ep]) => isPublicHttp(ep));
    expect(open.map(([n]) => n).sort()).toEqual(['airwallexWebhook', 'calWebhook', 'resendWebhook', 'socialOAuthCallback', 'stripeWebhook', 'unsubscribe']);
    for (const [name, ep] of open) {
      expect(ep.availableMemoryMb, name).toBeLessThanOrEqual(256);
      expect(ep.timeoutSeconds, name).toBeLessThanOrEqual(60);
      expect(ep.maxInstances, name).toBeLessThanOrEqual(20);
    }
  });

  it('schedules run in UTC with a retry policy of their own', () => {
    const schedules = endpoints.filter(([, ep]) => ep.scheduleTrigger);
    expect(schedules.length).toBeGreaterThanOrEqual(8);
    for (const [name, ep] of schedules) {
      expect(ep.scheduleTrigger?.timeZone, name).toBe('Etc/UTC');
      expect(ep.scheduleTrigger?.retryConfig?.retryCount, name).toEqual(expect.any(Number));
    }
  });

  it('event triggers retry (their handlers are idempotent) unless they say why not', () => {
    const triggers = endpoints.filter(([, ep]) => ep.eventTrigger);
    expect(triggers.length).toBeGreaterThanOrEqual(10);
    for (const [name, ep] of triggers) expect(ep.eventTrigger?.retry === true || name in NO_RETRY, `${name} does not retry and says nothing of why`).toBe(true);
    for (const name of Object.keys(NO_RETRY)) expect(triggers.find(([n]) => n === name)?.[1].eventTrigger?.retry, name).toBe(false);
  });

  it('secrets go only to the functions that use them', () => {
    for (const [name, ep] of endpoints) {
      for (const { key } of ep.secretEnvironmentVariables ?? []) {
        const holders = SECRET_HOLDERS[key];
        if (holders) expect(holders.test(name), `${name} holds ${key}`).toBe(true);
      }
    }
    const webhooks = endpoints.filter(([n]) => n.endsWith('Webhook'));
    for (const [name, ep] of webhooks)
      expect(
        ep.secretEnvironmentVariables?.map((s) => s.key),
        name,
      ).toHaveLength(1);
  });

  it('every public callable refuses a call without an App Check token once APP_CHECK_ENFORCE is on, before reading anything', async () => {
    const publicOnes = endpoints.filter(([name, ep]) => ep.callableTrigger && API[name as CallableName]?.access === 'public');
    expect(publicOnes.map(([n]) => n)).toEqual(expect.arrayContaining(['track', 'submitLead', 'createCheckout', 'requestPasswordReset']));
    // As a deployed instance runs: every param has its value (the demo project's, else its default).
    const demo = parseEnv(fs.readFileSync(path.join(repoRoot(), 'functions', '.env.demo-zhengrowth'), 'utf8'));
    const values = Object.fromEntries(valuesOf(demo).flatMap(({ name, value }) => (value === undefined ? [] : [[name, value]])));
    const before = { ...process.env };
    Object.assign(process.env, values, { APP_CHECK_ENFORCE: 'true' });
    try {
      for (const [name] of publicOnes) {
        const run = (exportsOf[name] as { run: (req: object) => Promise<unknown> }).run;
        await expect(run({ data: {}, rawRequest: { headers: {}, ip: '203.0.113.7' } }), name).rejects.toMatchObject({
          code: 'unauthenticated',
          message: expect.stringMatching(/App Check/) as unknown as string,
        });
      }
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key];
      Object.assign(process.env, before);
    }
  });
});
