/**
 * Demo data seeded once per test run and copied: the first test file that asks for a (scale, seed)
 * seeds a template database under an advisory lock (other files, in other workers, wait for it);
 * every test then gets its own copy (CREATE DATABASE … TEMPLATE, a file copy on the server: far
 * faster than seeding again). The template's name derives from the run's schema template (set by
 * the global setup), so a later run with another generator never copies stale rows.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createDatabase, dropDatabase, quoteIdent, withDatabase } from '@zhengrowth/devstack';
import { TEMPLATE_DB_ENV, type TestDatabase } from '@zhengrowth/devstack/testing';
import pg from 'pg';
import { seedDemo } from '../src/seed/index.js';

function server(): { url: string; schemaTemplate: string } {
  const url = process.env.DATABASE_URL;
  const schemaTemplate = process.env[TEMPLATE_DB_ENV];
  if (!url || !schemaTemplate) throw new Error('No PostgreSQL for this test: run it through vitest (its global setup starts one) or set DATABASE_URL.');
  return { url, schemaTemplate };
}

/** The seeded template of (scale, seed) on today's date (the generator dates rows from the day it runs for). */
async function seededTemplate(scale: number, seed: string): Promise<string> {
  const { url, schemaTemplate } = server();
  const day = new Date().toISOString().slice(0, 10);
  const digest = createHash('sha256').update(`${schemaTemplate}\u0000${scale}\u0000${seed}\u0000${day}`).digest('hex');
  const name = `zg_seeded_${digest.slice(0, 16)}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // One seeder per template across the test files running at once; the others wait here.
    await client.query('SELECT pg_advisory_lock($1)', [Number.parseInt(digest.slice(0, 12), 16)]);
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      // Seeded under another name and renamed when complete: a seeder killed halfway leaves no half template.
      const building = `${name}_b${randomBytes(3).toString('hex')}`;
      await createDatabase(url, building, schemaTemplate);
      try {
        await seedDemo(withDatabase(url, building), { scale, seed });
        await client.query(`ALTER DATABASE ${quoteIdent(building)} RENAME TO ${quoteIdent(name)}`);
      } catch (err) {
        await dropDatabase(url, building).catch(() => undefined);
        throw err;
      }
    }
    return name;
  } finally {
    await client.end();
  }
}

/** A private database holding the demo data of (scale, seed): a copy of the run's seeded template. */
export async function seededCopy(scale: number, seed: string, prefix: string): Promise<TestDatabase> {
  const { url } = server();
  const template = await seededTemplate(scale, seed);
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await createDatabase(url, name, template);
  return { name, url: withDatabase(url, name), drop: () => dropDatabase(url, name) };
}
