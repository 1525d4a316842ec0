/**
 * The client in a real browser: the page of browser/app.ts bundled by esbuild for the browser
 * (a Node-only import anywhere in the client or the model fails the bundle), served locally and
 * driven in headless Chromium (Debian's package, through puppeteer-core) against the emulators:
 * sign up and get a profile; a paywalled lesson locked, then open with a lesson pass; a free
 * event registration; a coach listing their clients.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lessonAccess, lessonMedia, lessons, users } from '@zhengrowth/model';
import { emulatorHosts, put, type TestFirebase } from '@zhengrowth/devstack/testing';
import { seedEvent } from '../../../functions/test/support/env.js';
import type { BrowserApi, BrowserConfig } from './browser/app.js';
import { adminOfWebProject, grantRoles, PASSWORD, uniqueEmail } from './support/web.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
/** Debian's Chromium; CHROMIUM_PATH names another. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let admin: TestFirebase;
let server: http.Server | undefined;
let origin: string;
let browser: Browser;
let config: BrowserConfig;

async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [path.join(here, 'browser', 'app.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    alias: {
      '@zhengrowth/client': path.join(root, 'packages/client/src/index.ts'),
      '@zhengrowth/model': path.join(root, 'functions/model/src/index.ts'),
    },
  });
  return out.outputFiles[0]?.text ?? '';
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt install chromium (or set CHROMIUM_PATH)`);
  admin = adminOfWebProject();
  const hosts = emulatorHosts();
  if (!hosts.auth || !hosts.functions) throw new Error('the Auth and Functions emulators must run: run this through `npm test`');
  config = { projectId: hosts.projectId, auth: hosts.auth, firestore: hosts.firestore, functions: hosts.functions };
  const js = await bundle();
  const site = http.createServer((req, res) => {
    if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><title>zg</title><script src="/app.js"></script>');
  });
  server = site;
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  // A beforeAll that failed early left no server: waiting on its close would hang the hook.
  const site = server;
  if (site) await new Promise((r) => site.close(r));
  await admin?.close();
});

async function openPage(): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(origin);
  await page.waitForFunction('globalThis.zg !== undefined', { timeout: 30_000 }).catch(() => {
    throw new Error(`the page did not start: ${errors.join('; ')}`);
  });
  return page;
}

const signUp = (page: Page, email: string) => page.evaluate((cfg, e, p) => zg.signUp(cfg, e, p), config, email, PASSWORD);

declare global {
  // The page's steps (browser/app.ts), as the functions given to page.evaluate see them.
  var zg: BrowserApi;
}

describe('the client in headless Chromium', () => {
  it(
    'signs up with a profile, opens a paywalled lesson once it has a pass, registers for an event, and a coach lists their clients',
    { timeout: 300_000 },
    async () => {
      const member = await openPage();
      const email = uniqueEmail('browser');
      const uid = await signUp(member, email);
      expect(await member.evaluate(() => zg.profile())).toEqual({ email, roles: ['client'] });

      const lessonId = `browser-lesson-${Date.now()}`;
      await put(admin.db.doc(lessons.docPath({ lessonId })).withConverter(lessons.converter), {
        slug: lessonId,
        title: 'Deep work',
        description: null,
        module_id: null,
        order: 1,
        duration_sec: 600,
        chapters: null,
        tags: [],
        published: true,
        paywall: true,
        created_at: Timestamp.now(),
        updated_at: null,
      });
      await put(admin.db.doc(lessonMedia.docPath({ lessonId })).withConverter(lessonMedia.converter), { yt_id: 'dQw4w9WgXcQ' });
      expect(await member.evaluate((id) => zg.lessonMedia(id), lessonId)).toBe('locked');
      const until = Timestamp.fromMillis(Date.now() + 86_400_000);
      await put(admin.db.doc(lessonAccess.docPath({ uid, accessKey: `lesson:${lessonId}` })).withConverter(lessonAccess.converter), {
        user_id: uid,
        key: `lesson:${lessonId}`,
        active: true,
        expires_at: until,
        grants: { 'BROWSER-1': until },
        updated_at: Timestamp.now(),
      });
      expect(await member.evaluate((id) => zg.lessonMedia(id), lessonId)).toBe('dQw4w9WgXcQ');

      // A member registers with a verified address (the confirmation goes to it).
      await admin.auth.updateUser(uid, { emailVerified: true });
      await member.evaluate(() => zg.refresh());
      const { eventId } = await seedEvent(admin.db, { capacity: 10, prices: [] });
      expect(await member.evaluate((id) => zg.register(id), eventId)).toBe('registered');

      const coachPage = await openPage();
      const coach = await signUp(coachPage, uniqueEmail('browser-coach'));
      await grantRoles(admin, coach, ['coach']);
      await admin.db.doc(users.docPath({ uid })).update({ coach_id: coach });
      await coachPage.evaluate(() => zg.refresh());
      expect(await coachPage.evaluate(() => zg.myClients())).toEqual([uid]);
    },
  );
});
