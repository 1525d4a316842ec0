/** What a postgres:// URL says before anything connects: its printable form, and whether it can hold a snapshot. */
import { SourceError } from './source.js';

/** The URL without its password, for logs and run records. */
export function redactPostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparsable URL>';
  }
}

/**
 * Supabase's transaction pooler (Supavisor, port 6543) hands each statement to any server
 * connection: an exported snapshot cannot be held across statements there.
 */
export function checkNotTransactionPooler(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SourceError('the --source URL cannot be parsed');
  }
  if (u.port === '6543') {
    throw new SourceError(
      `${u.hostname}:6543 is Supabase's transaction pooler, which cannot hold the consistent snapshot the migration reads in. ` +
        `Use the session pooler (the same pooler host on port 5432: postgres://postgres.<project-ref>:<password>@${u.hostname}:5432/postgres) ` +
        'or the direct connection (postgres://postgres:<password>@db.<project-ref>.supabase.co:5432/postgres).',
    );
  }
}
