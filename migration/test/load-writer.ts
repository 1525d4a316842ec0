/**
 * A writer that keeps changing the source while a migration runs, as the app does before the
 * switch: about `rowsPerSecond` rows a second, in small transactions every 50 ms — new analytics
 * events, updated leads and goals, goals moved to another user, deleted events and inbox items
 * (documents whose path the key alone does not give), profile renames. Shared by the sync tests and
 * `npm run bench:cutover`.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export interface LoadWriter {
  /** Rows changed so far. */
  readonly changes: number;
  stop(): Promise<{ changes: number; seconds: number; transactions: number }>;
}

const TICK_MS = 50;

function pick<T>(list: readonly T[], n: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < n && list.length > 0; i++) out.push(list[Math.floor(Math.random() * list.length)] as T);
  return [...new Set(out)];
}

export async function startLoadWriter(url: string, options: { rowsPerSecond: number }): Promise<LoadWriter> {
  const client = new pg.Client({ connectionString: url, application_name: 'zg load writer' });
  client.on('error', () => undefined);
  await client.connect();
  const ids = async (sql: string): Promise<string[]> => (await client.query<{ id: string }>(sql)).rows.map((r) => r.id);
  const leads = await ids('SELECT id::text AS id FROM leads');
  const goals = await ids('SELECT id::text AS id FROM me_goals');
  const profiles = await ids('SELECT id::text AS id FROM zg_profiles');
  const users = await ids('SELECT user_id::text AS id FROM zg_profiles');
  let inbox = await ids('SELECT id::text AS id FROM nudge_inbox');
  const inserted: string[] = [];
  let changes = 0;
  let transactions = 0;
  let stopped = false;
  let stopping: Promise<{ changes: number; seconds: number; transactions: number }> | undefined;
  const started = Date.now();

  const tick = async (n: number): Promise<void> => {
    // The mix of one tick, by share of the rows it changes.
    const share = (f: number): number => Math.max(0, Math.round(n * f));
    const fresh = Array.from({ length: share(0.4) }, () => randomUUID());
    const gone = inserted.splice(0, Math.min(inserted.length, share(0.15)));
    const dropInbox = pick(inbox, share(0.03));
    inbox = inbox.filter((id) => !dropInbox.includes(id));
    const leadIds = pick(leads, share(0.2));
    const goalIds = pick(goals, share(0.15));
    const moved = pick(goals, share(0.04));
    const renamed = pick(profiles, share(0.03));
    await client.query('BEGIN');
    if (fresh.length) {
      await client.query(
        `INSERT INTO analytics_events (id, event_name, user_id, properties, created_at) SELECT x, 'load_test', $2::uuid, '{"n": 1}', now() FROM unnest($1::uuid[]) AS x`,
        [fresh, pick(users, 1)[0] ?? null],
      );
      inserted.push(...fresh);
    }
    if (gone.length) await client.query('DELETE FROM analytics_events WHERE id = ANY ($1::uuid[])', [gone]);
    if (dropInbox.length) await client.query('DELETE FROM nudge_inbox WHERE id = ANY ($1::uuid[])', [dropInbox]);
    if (leadIds.length) await client.query('UPDATE leads SET score = score + 1, updated_at = now() WHERE id = ANY ($1::uuid[])', [leadIds]);
    if (goalIds.length)
      await client.query('UPDATE me_goals SET progress_percent = (progress_percent + 7) % 100, updated_at = now() WHERE id = ANY ($1::uuid[])', [goalIds]);
    if (moved.length) await client.query('UPDATE me_goals SET user_id = $2::uuid WHERE id = ANY ($1::uuid[])', [moved, pick(users, 1)[0]]);
    if (renamed.length)
      await client.query("UPDATE zg_profiles SET name = 'Load ' || substr(md5(random()::text), 1, 6), updated_at = now() WHERE id = ANY ($1::uuid[])", [
        renamed,
      ]);
    await client.query('COMMIT');
    transactions++;
    changes += fresh.length + gone.length + dropInbox.length + leadIds.length + goalIds.length + moved.length + renamed.length;
  };

  const loop = (async () => {
    while (!stopped) {
      const owed = Math.floor(((Date.now() - started) / 1000) * options.rowsPerSecond) - changes;
      if (owed > 0) await tick(Math.min(owed, options.rowsPerSecond));
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
  })();

  return {
    get changes() {
      return changes;
    },
    stop() {
      // Once: a test's finally may stop a writer its body already stopped.
      stopping ??= (async () => {
        stopped = true;
        await loop;
        await client.end();
        return { changes, seconds: (Date.now() - started) / 1000, transactions };
      })();
      return stopping;
    },
  };
}
