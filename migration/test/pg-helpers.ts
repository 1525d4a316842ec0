import pg from 'pg';

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface Claims {
  sub?: string;
  email?: string;
  role?: string;
}

/**
 * Runs fn as PostgREST would for a request: inside a transaction, as the API role, with the JWT
 * claims in request.jwt.claims. Rolled back afterwards, so checks do not disturb each other.
 */
export async function asRole<T>(client: pg.ClientBase, role: 'anon' | 'authenticated', claims: Claims, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL ROLE ${role}`);
    await client.query(`SELECT set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ role, ...claims })]);
    return await fn();
  } finally {
    await client.query('ROLLBACK');
  }
}

/** Runs one statement in a savepoint and returns its error message, or null if it succeeded. */
export async function errorOf(client: pg.ClientBase, sql: string, params: unknown[] = []): Promise<string | null> {
  await client.query('SAVEPOINT probe');
  try {
    await client.query(sql, params);
    await client.query('RELEASE SAVEPOINT probe');
    return null;
  } catch (err) {
    await client.query('ROLLBACK TO SAVEPOINT probe');
    return (err as Error).message;
  }
}
