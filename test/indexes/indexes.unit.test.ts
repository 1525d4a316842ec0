import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_COLLECTIONS, ALL_QUERIES, defineQuery, type AnyCollection, type QuerySpec } from '@zhengrowth/model';
import { describe, expect, it } from 'vitest';
import { compositeServes, explain, shapeOf, suggestedIndex, type IndexConfig } from './index-selection.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const config = JSON.parse(fs.readFileSync(path.join(root, 'firestore.indexes.json'), 'utf8')) as IndexConfig;
const indexesDoc = fs.readFileSync(path.join(root, 'docs', 'indexes.md'), 'utf8');
/** docs/indexes.md's override table: | `group.field` | what is turned off | why | */
const overrideRows = new Map(
  [...indexesDoc.matchAll(/^\|\s*`([\w]+\.[\w]+)`\s*\|[^|\n]*\|([^|\n]*)\|\s*$/gm)].map((m) => [m[1] as string, (m[2] ?? '').trim().length > 20]),
);

function collection(path: string): AnyCollection {
  const c = ALL_COLLECTIONS.find((x) => x.collection === path);
  if (!c) throw new Error(`no model collection ${path}`);
  return c;
}

const label = (i: { collectionGroup: string; queryScope: string; fields: Array<{ fieldPath: string; order?: string; arrayConfig?: string }> }): string =>
  `${i.collectionGroup} [${i.queryScope}] (${i.fields.map((f) => `${f.fieldPath} ${f.order ?? f.arrayConfig}`).join(', ')})`;

describe('firestore.indexes.json serves every declared query (ALL_QUERIES)', () => {
  it('declares queries of the functions and of the web app, with unique names', () => {
    expect(ALL_QUERIES.some((q) => q.usedBy.startsWith('functions:'))).toBe(true);
    expect(ALL_QUERIES.some((q) => q.usedBy.startsWith('web:'))).toBe(true);
    const names = ALL_QUERIES.map((q) => q.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('the functions build queries only from declared specs (functions/src/core/query.ts)', () => {
    // A query written by hand would not be in ALL_QUERIES, so nothing would check its index.
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts') && path.relative(root, p) !== path.join('functions', 'src', 'core', 'query.ts')) {
          fs.readFileSync(p, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (/\.(where|orderBy|collectionGroup|findNearest)\(/.test(line)) offenders.push(`${path.relative(root, p)}:${i + 1}: ${line.trim()}`);
            });
        }
      }
    };
    walk(path.join(root, 'functions', 'src'));
    expect(offenders).toEqual([]);
  });

  it('filters and orders only on fields of the model', () => {
    const unknown: string[] = [];
    for (const q of ALL_QUERIES) {
      const fields = Object.keys(q.collection.schema.shape as Record<string, unknown>);
      for (const f of [...q.where.map((w) => w.field), ...q.orderBy.map((o) => o.field)]) {
        if (!fields.includes(f)) unknown.push(`${q.name}: ${f}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it.each(ALL_QUERIES.map((q) => [q.name, q] as const))('%s has an index', (_name, q) => {
    const verdict = explain(config, q);
    if (!verdict.served) {
      const need = suggestedIndex(q);
      const only = need.fields[0];
      // Firestore refuses a composite index of one field: that one is a field override.
      const fix =
        need.fields.length === 1 && only
          ? `a fieldOverrides entry: ${JSON.stringify({ collectionGroup: need.collectionGroup, fieldPath: only.fieldPath, indexes: [{ ...only, fieldPath: undefined, queryScope: need.queryScope }] })}`
          : `an indexes entry: ${JSON.stringify(need)}`;
      throw new Error(`${q.name} (${q.usedBy}): ${verdict.reason}\nadd to firestore.indexes.json ${fix}`);
    }
    expect(verdict.served).toBe(true);
  });

  it('every composite index serves some declared query (no dead indexes)', () => {
    const dead = config.indexes.filter((i) => !ALL_QUERIES.some((q) => compositeServes(i, shapeOf(q))));
    expect(dead.map(label)).toEqual([]);
  });

  it('indexes and overrides name model collection groups and fields', () => {
    const fieldsOf = (group: string): Set<string> =>
      new Set(ALL_COLLECTIONS.filter((c) => c.groupId === group).flatMap((c) => Object.keys(c.schema.shape as Record<string, unknown>)));
    const wrong: string[] = [];
    for (const i of config.indexes) {
      const fields = fieldsOf(i.collectionGroup);
      if (fields.size === 0) wrong.push(`index on unknown collection group ${i.collectionGroup}`);
      for (const f of i.fields) if (f.fieldPath !== '__name__' && !fields.has(f.fieldPath)) wrong.push(`${label(i)}: no field ${f.fieldPath}`);
    }
    for (const o of config.fieldOverrides) {
      if (!fieldsOf(o.collectionGroup).has(o.fieldPath)) wrong.push(`override ${o.collectionGroup}.${o.fieldPath}: no such field`);
    }
    expect(wrong).toEqual([]);
  });

  it('docs/indexes.md gives the reason for every field override and lists every composite index', () => {
    const missing = [
      ...config.fieldOverrides.map((o) => `${o.collectionGroup}.${o.fieldPath}`).filter((k) => !overrideRows.get(k)),
      ...config.indexes.map(label).filter((l) => !indexesDoc.includes(l)),
    ];
    expect(missing).toEqual([]);
  });
});

describe('the index selection model itself (so the test above can fail)', () => {
  const goals = collection('users/{uid}/goals');
  const sessions = collection('users/{uid}/sessions');
  const posts = collection('blog_posts');
  const empty: IndexConfig = { indexes: [], fieldOverrides: [] };
  const q = (spec: Omit<QuerySpec, 'group' | 'orderBy' | 'usedBy' | 'name'> & Partial<QuerySpec>): QuerySpec =>
    defineQuery({ name: 'probe', usedBy: 'test', ...spec });

  it('serves equality-only queries by merging single-field indexes, array-contains included', () => {
    expect(
      explain(
        empty,
        q({
          collection: posts,
          where: [
            { field: 'published', op: '==' },
            { field: 'lang', op: '==' },
          ],
        }),
      ),
    ).toMatchObject({ served: true, by: 'merge' });
    expect(
      explain(
        empty,
        q({
          collection: posts,
          where: [
            { field: 'published', op: '==' },
            { field: 'tags', op: 'array-contains' },
          ],
        }),
      ),
    ).toMatchObject({ served: true, by: 'merge' });
    expect(explain(empty, q({ collection: goals, where: [], orderBy: [{ field: 'created_at', direction: 'desc' }] }))).toMatchObject({
      served: true,
      by: 'single-field',
    });
  });

  it('needs a composite index for equality + orderBy, equality + range, array-contains + orderBy', () => {
    const eqOrder = q({ collection: posts, where: [{ field: 'published', op: '==' }], orderBy: [{ field: 'published_at', direction: 'desc' }] });
    expect(explain(empty, eqOrder).served).toBe(false);
    expect(
      explain(
        empty,
        q({
          collection: posts,
          where: [
            { field: 'lang', op: '==' },
            { field: 'published_at', op: '>' },
          ],
        }),
      ).served,
    ).toBe(false);
    expect(
      explain(empty, q({ collection: posts, where: [{ field: 'tags', op: 'array-contains' }], orderBy: [{ field: 'published_at', direction: 'asc' }] })).served,
    ).toBe(false);
    const withIndex: IndexConfig = { indexes: [suggestedIndex(eqOrder)], fieldOverrides: [] };
    expect(explain(withIndex, eqOrder)).toMatchObject({ served: true, by: 'composite' });
  });

  it('matches directions and scopes exactly', () => {
    const eqOrder = q({ collection: posts, where: [{ field: 'published', op: '==' }], orderBy: [{ field: 'published_at', direction: 'desc' }] });
    const asc: IndexConfig = {
      indexes: [
        {
          collectionGroup: 'blog_posts',
          queryScope: 'COLLECTION',
          fields: [
            { fieldPath: 'published', order: 'ASCENDING' },
            { fieldPath: 'published_at', order: 'ASCENDING' },
          ],
        },
      ],
      fieldOverrides: [],
    };
    expect(explain(asc, eqOrder).served).toBe(false);
    const group = q({ collection: sessions, group: true, where: [{ field: 'coach_id', op: '==' }], orderBy: [{ field: 'session_date', direction: 'desc' }] });
    const collectionScoped: IndexConfig = { indexes: [{ ...suggestedIndex(group), queryScope: 'COLLECTION' }], fieldOverrides: [] };
    expect(explain(collectionScoped, group).served).toBe(false);
    expect(explain({ indexes: [suggestedIndex(group)], fieldOverrides: [] }, group).served).toBe(true);
  });

  it('needs a collection-group single-field override for a collection-group filter', () => {
    const mine = q({ collection: sessions, group: true, where: [{ field: 'coach_id', op: '==' }] });
    expect(explain(empty, mine).served).toBe(false);
    const enabled: IndexConfig = {
      indexes: [],
      fieldOverrides: [{ collectionGroup: 'sessions', fieldPath: 'coach_id', indexes: [{ order: 'ASCENDING', queryScope: 'COLLECTION_GROUP' }] }],
    };
    expect(explain(enabled, mine)).toMatchObject({ served: true, by: 'single-field' });
  });

  it('honours an override that exempts a field', () => {
    const byTime = q({ collection: posts, where: [], orderBy: [{ field: 'created_at', direction: 'desc' }] });
    expect(explain(empty, byTime).served).toBe(true);
    const exempt: IndexConfig = { indexes: [], fieldOverrides: [{ collectionGroup: 'blog_posts', fieldPath: 'created_at', indexes: [] }] };
    expect(explain(exempt, byTime).served).toBe(false);
    expect(explain(exempt, q({ collection: posts, where: [{ field: 'created_at', op: '==' }] })).served).toBe(false);
  });

  it('puts implicit inequality order fields after the explicit ones, and rejects what Firestore rejects', () => {
    expect(
      shapeOf(
        q({
          collection: posts,
          where: [
            { field: 'published', op: '==' },
            { field: 'published_at', op: '>=' },
          ],
        }),
      ).orderFields,
    ).toEqual([{ field: 'published_at', order: 'ASCENDING' }]);
    expect(() => shapeOf(q({ collection: posts, where: [{ field: 'published_at', op: '>=' }], orderBy: [{ field: 'title', direction: 'asc' }] }))).toThrow(
      /first orderBy/,
    );
  });
});
