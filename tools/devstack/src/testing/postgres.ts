import { randomBytes } from 'node:crypto';
import type { PostgresServer } from '../postgres.js';
import { applySqlFolder, createDatabase, dropDatabase, withDatabase } from '../sql.js';

/** Name of the database that holds the applied schema; tests copy it (CREATE DATABASE … TEMPLATE). */
export const TEMPLATE_DB_ENV = 'ZG_PG_TEMPLATE_DB';

export async function createTemplateDatabase(server: PostgresServer): Promise<string> {
  const name = `zg_template_${process.pid}_${randomBytes(3).toString('hex')}`;
  await createDatabase(server.url, name);
  await applySqlFolder(server.urlFor(name));
  return name;
}

function requireDatabaseUrl(): { url: string; template: string } {
  const url = process.env.DATABASE_URL;
  const template = process.env[TEMPLATE_DB_ENV];
  if (!url || !template) {
    throw new Error('No PostgreSQL for this test: run it through `npm test` (vitest global setup starts one) or set DATABASE_URL.');
  }
  return { url, template };
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A new database with the Supabase schema applied and no rows, private to the calling test. */
export async function freshDatabase(prefix = 'zg_test'): Promise<TestDatabase> {
  const { url, template } = requireDatabaseUrl();
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await createDatabase(url, name, template);
  return { name, url: withDatabase(url, name), drop: () => dropDatabase(url, name) };
}

/** A new empty database (no schema), for tests of the schema itself. */
export async function emptyDatabase(prefix = 'zg_empty'): Promise<TestDatabase> {
  const { url } = requireDatabaseUrl();
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await createDatabase(url, name);
  return { name, url: withDatabase(url, name), drop: () => dropDatabase(url, name) };
}
