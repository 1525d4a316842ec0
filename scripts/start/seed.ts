/**
 * Demo data for `npm start`, made the way production data will be: the Supabase schema in a
 * throwaway PostgreSQL 15 (or a new database on the DATABASE_URL server), filled by the demo
 * generator (scale ZG_DEMO_SCALE, default 0.1), then migrated into the running emulators
 * (Firestore and Auth) by `zg-migrate run`. PostgreSQL is stopped (or the database dropped) after.
 */
import { randomBytes } from 'node:crypto';
import { initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { applySqlFolder, createDatabase, dropDatabase, setBackgroundTriggers, startPostgres, type EmulatorSuite } from '@zhengrowth/devstack';
import { loadEmailTemplatesInto } from '@zhengrowth/functions/templates';
import { main as zgMigrate } from '@zhengrowth/migration/cli';
import { DEMO_ACCOUNTS, seedDemo } from '@zhengrowth/migration/seed';

function demoScale(): number {
  const raw = process.env.ZG_DEMO_SCALE ?? '0.1';
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 100) throw new Error(`ZG_DEMO_SCALE must be a number in (0, 100], got ${JSON.stringify(raw)}`);
  return scale;
}

export async function seedDemoData(suite: EmulatorSuite): Promise<string> {
  const scale = demoScale();
  const pg = await startPostgres();
  const database = `zg_demo_${randomBytes(4).toString('hex')}`;
  try {
    console.log(`  PostgreSQL ${pg.owned ? 'started (throwaway)' : 'from DATABASE_URL'}; database ${database} with the Supabase schema`);
    await createDatabase(pg.url, database);
    const url = pg.urlFor(database);
    await applySqlFolder(url);
    const seeded = await seedDemo(url, { scale, seed: 'demo' });
    console.log(
      `  ${seeded.totalRows.toLocaleString('en')} demo rows generated (scale ${scale}) in ${seeded.seconds.toFixed(1)} s; migrating them with zg-migrate run:`,
    );

    await setBackgroundTriggers(suite, false); // migrated history is no news: no e-mail sent, no push, for any of it
    const code = await zgMigrate(['node', 'zg-migrate', 'run', '--source', url, '--project', suite.projectId], {
      out: (s) => process.stdout.write(s.replace(/^(?=.)/gm, '    ')),
      err: (s) => process.stderr.write(s.replace(/^(?=.)/gm, '    ')),
      env: process.env,
      isTTY: false,
    });
    if (code !== 0) throw new Error(`zg-migrate run exited with ${code}`);
    await setBackgroundTriggers(suite, true);
    console.log(`  ${await loadEmailTemplatesInto(suite.projectId)} loaded`);

    // The Auth emulator does not check imported bcrypt hashes at sign-in (production does): give the
    // demo accounts their (same) passwords natively so that they can sign in locally.
    const app = initializeApp({ projectId: suite.projectId }, `demo-accounts-${randomBytes(3).toString('hex')}`);
    const auth = getAuth(app);
    for (const account of DEMO_ACCOUNTS) {
      const user = await auth.getUserByEmail(account.email);
      await auth.updateUser(user.uid, { password: account.password });
    }
    console.log('  Demo accounts (e-mail / password):');
    for (const account of DEMO_ACCOUNTS) console.log(`    ${account.email.padEnd(26)} ${account.password.padEnd(22)} roles: ${account.roles.join(', ')}`);
    console.log(
      `  Dated from today: a free webinar in 6 days and a workshop with paid and free tickets in 13; the coach's sessions this week; ${DEMO_ACCOUNTS[2].email} has a paid order with its receipt, a webinar registration and a session booked in 5 days.`,
    );
    return `${seeded.totalRows.toLocaleString('en')} rows of the Supabase demo database (scale ${scale}), migrated by zg-migrate; sign in as ${DEMO_ACCOUNTS.map((a) => a.email).join(', ')}`;
  } finally {
    if (pg.owned) await pg.stop();
    else await dropDatabase(pg.url, database).catch(() => undefined);
  }
}
