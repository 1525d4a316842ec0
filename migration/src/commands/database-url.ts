import { z } from 'zod';

/** A PostgreSQL connection URL, as every command that reads or writes the source database takes it. */
export const databaseUrl = z
  .string({ error: 'is required (or set DATABASE_URL)' })
  .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL');

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparsable URL>';
  }
}
