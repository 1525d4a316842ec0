/**
 * auth.users → Firebase Auth emulator. The emulator does not check imported hashes at sign-in, so
 * the test checks what was imported, and that the stored hash still verifies the known password.
 */
import bcrypt from 'bcryptjs';
import type { TestDatabase, TestFirebase } from '@zhengrowth/devstack/testing';
import { clearAuth } from '@zhengrowth/devstack/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../src/seed/index.js';
import { firebaseFor, seededDatabase, targetEnv, zg } from './migrate-helpers.js';
import { withClient } from './pg-helpers.js';

interface AuthRow {
  id: string;
  email: string | null;
  confirmed: boolean;
  name: string | null;
  phone: string | null;
  created: string;
  last: string | null;
  disabled: boolean;
  anonymous: boolean;
  hash: string | null;
  roles: string[];
}

describe('Firebase Auth import', () => {
  let src: TestDatabase;
  let fb: TestFirebase;
  let rows: AuthRow[];

  beforeAll(async () => {
    src = await seededDatabase(0.05, 'zg_auth');
    fb = firebaseFor('auth');
    await withClient(src.url, async (c) => {
      // Make sure the awkward cases are there whatever the random draw: banned, deleted.
      await c.query(
        `UPDATE auth.users SET banned_until = now() + interval '30 days' WHERE id = (SELECT id FROM auth.users WHERE email IS NOT NULL ORDER BY id OFFSET 3 LIMIT 1)`,
      );
      await c.query(`UPDATE auth.users SET deleted_at = now() WHERE id = (SELECT id FROM auth.users WHERE email IS NOT NULL ORDER BY id OFFSET 4 LIMIT 1)`);
      rows = (
        await c.query<AuthRow>(
          `SELECT u.id::text, u.email, u.email_confirmed_at IS NOT NULL AS confirmed,
                  coalesce(u.raw_user_meta_data->>'name', u.raw_user_meta_data->>'full_name') AS name, u.phone,
                  to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS created,
                  to_char(u.last_sign_in_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS last,
                  (coalesce(u.banned_until > now(), false) OR u.deleted_at IS NOT NULL) AS disabled, u.is_anonymous AS anonymous, u.encrypted_password AS hash,
                  ARRAY(SELECT r.role::text FROM user_roles r WHERE r.user_id = u.id ORDER BY r.role) AS roles
             FROM auth.users u ORDER BY u.id`,
        )
      ).rows;
    });
    const r = await zg(['run', '--source', src.url, '--tables', 'auth.users'], targetEnv(fb));
    expect(r.code).toBe(0);
  });
  afterAll(async () => {
    await fb?.clear();
    if (fb) await clearAuth(fb.projectId).catch(() => undefined);
    await fb?.close();
    await src?.drop();
  });

  it('imports every auth.users row with the uid, e-mail, verification, name, phone, times, disabled flag and roles claim', async () => {
    expect(rows.length).toBeGreaterThan(40);
    for (const row of rows) {
      const u = await fb.auth.getUser(row.id);
      expect(u.email ?? null, row.id).toBe(row.email?.toLowerCase() ?? null);
      expect(u.emailVerified, row.id).toBe(row.confirmed);
      expect(u.displayName ?? null, row.id).toBe(row.name);
      expect(u.phoneNumber ?? null, row.id).toBe(row.phone ? `+${row.phone}` : null);
      expect(u.disabled, row.id).toBe(row.disabled);
      expect(u.customClaims?.roles, row.id).toEqual(row.roles);
      expect(new Date(u.metadata.creationTime).toISOString().slice(0, 19)).toBe(row.created);
      if (row.last) expect(new Date(u.metadata.lastSignInTime).toISOString().slice(0, 19)).toBe(row.last);
    }
    expect(rows.some((r) => r.disabled)).toBe(true);
    expect(rows.some((r) => r.anonymous)).toBe(true);
  });

  it('keeps the bcrypt hashes, so the demo passwords still verify against what Auth holds', async () => {
    for (const account of DEMO_ACCOUNTS) {
      const row = rows.find((r) => r.email === account.email);
      expect(row?.hash).toMatch(/^\$2a\$10\$/);
      const u = await fb.auth.getUser(row?.id ?? '');
      const stored = Buffer.from(u.passwordHash ?? '', 'base64').toString('utf8');
      expect(stored).toBe(row?.hash);
      expect(bcrypt.compareSync(account.password, stored)).toBe(true);
      expect(bcrypt.compareSync('not-the-password', stored)).toBe(false);
    }
    // OAuth-only users have no password hash.
    for (const row of rows.filter((r) => r.hash === null).slice(0, 5)) expect((await fb.auth.getUser(row.id)).passwordHash).toBeUndefined();
  });

  it('a second import leaves existing users as they are and brings the roles claim up to date', async () => {
    const admin = rows.find((r) => r.email === DEMO_ACCOUNTS[0].email);
    await fb.auth.updateUser(admin?.id ?? '', { displayName: 'Renamed since' });
    await fb.auth.setCustomUserClaims(admin?.id ?? '', { roles: [], other: 1 });
    const again = await zg(['run', '--source', src.url, '--tables', 'auth.users'], targetEnv(fb));
    expect(again.code).toBe(0);
    const u = await fb.auth.getUser(admin?.id ?? '');
    expect(u.displayName).toBe('Renamed since');
    expect(u.customClaims).toEqual({ roles: admin?.roles, other: 1 });
    expect((await fb.auth.listUsers(1000)).users.length).toBe(rows.length);
  });
});
