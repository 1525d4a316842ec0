import type { AnyCollection } from '../collection.js';

export type FilterOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not-in' | 'array-contains' | 'array-contains-any';

/**
 * A query the functions or the web app make, declared once: the code builds its Firestore query
 * from this spec (functions/src/core/query.ts), and the index test checks every spec against
 * firestore.indexes.json. A query that is not declared here cannot be built by our code.
 */
export interface QuerySpec<C extends AnyCollection = AnyCollection> {
  /** Unique name, e.g. `blog.publishedByDate`. */
  name: string;
  collection: C;
  /** A collection-group query over every collection with this collection's last segment. */
  group: boolean;
  where: ReadonlyArray<{ field: string; op: FilterOp }>;
  orderBy: ReadonlyArray<{ field: string; direction: 'asc' | 'desc' }>;
  /** Who makes it: `functions:<function>` or `web:<screen>`. */
  usedBy: string;
}

export function defineQuery<C extends AnyCollection>(
  spec: Omit<QuerySpec<C>, 'group' | 'orderBy'> & Partial<Pick<QuerySpec<C>, 'group' | 'orderBy'>>,
): QuerySpec<C> {
  return { group: false, orderBy: [], ...spec };
}
