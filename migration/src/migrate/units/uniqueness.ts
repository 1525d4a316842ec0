/**
 * The seed's unique values (coupon code, experiment key, i18n (lang, ns, key), social template
 * (platform, locale, name), e-mail template slug, blog slug, push endpoint per user). A source
 * without those constraints (or with NULLs in them: PostgreSQL's unique constraints let
 * (x, NULL, y) repeat, Firebase counts NULL as one value) can hold duplicates: the first row in key
 * order keeps the value, every later one is rejected with the reason, before anything is written.
 * Found by one scan of the key columns per table (a run, a resumed run and verify agree, since
 * each finds them the same way).
 */
import type { SourceTable } from '../sources/catalog.js';
import type { Source } from '../sources/source.js';

export const UNIQUE_VALUES: Readonly<Record<string, { columns: readonly string[]; label: string }>> = {
  coupons: { columns: ['code'], label: 'coupon code' },
  experiments: { columns: ['key'], label: 'experiment key' },
  i18n_dict: { columns: ['lang', 'ns', 'key'], label: 'i18n entry (lang, ns, key)' },
  blog_templates: { columns: ['platform', 'locale', 'name'], label: 'social template (platform, locale, name)' },
  email_templates: { columns: ['slug'], label: 'e-mail template slug' },
  blog_posts: { columns: ['slug'], label: 'blog slug' },
  push_subscriptions: { columns: ['user_id', 'endpoint'], label: 'push endpoint of a user' },
};

/** Rows (by primary key) that repeat a unique value of an earlier row, with the reason. */
export async function duplicateRows(source: Source, table: SourceTable): Promise<Map<string, string>> {
  const rule = UNIQUE_VALUES[table.name];
  const out = new Map<string, string>();
  if (!rule || rule.columns.some((c) => !table.columns.some((t) => t.name === c))) return out;
  const first = new Map<string, string>();
  const pk = table.primaryKey;
  for await (const page of source.scan(table, { after: null, pageSize: 5000, columns: [pk, ...rule.columns] })) {
    for (const row of page) {
      const values = rule.columns.map((c) => row[c] ?? null);
      const key = JSON.stringify(values);
      const id = row[pk] ?? '';
      const holder = first.get(key);
      if (holder === undefined) first.set(key, id);
      else {
        const shown = rule.columns.map((c, i) => `${c}=${values[i] === null ? 'NULL' : JSON.stringify(values[i])}`).join(', ');
        out.set(id, `duplicate ${rule.label} (${shown}): ${table.name} row ${holder} has it already (the first in key order keeps it)`);
      }
    }
  }
  return out;
}
