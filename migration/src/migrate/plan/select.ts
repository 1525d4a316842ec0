/**
 * Which units a command works on (`--tables`), and what to say when a name is wrong: the closest
 * table names, the source table of a Firestore collection name (`orders` → express_orders), and
 * where the whole list is (`zg-migrate plan`).
 */
import { AUTH_TABLE, allUnits, SOURCE_TABLES, tablePlans, unitOfTable, USERS_UNIT } from './mapping.js';

/** A usage problem found below the CLI (the CLI turns it into exit code 2). */
export class UsageProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageProblem';
  }
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/** Firestore collection names (last segment and whole path) → the source tables that fill them. */
function tablesByCollection(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of tablePlans()) {
    for (const d of p.destinations) {
      for (const name of new Set([d.collection.groupId, d.collection.template.replace(/\/\{\w+\}$/, '')])) {
        const list = out.get(name) ?? [];
        if (!list.includes(p.table)) list.push(p.table);
        out.set(name, list);
      }
    }
  }
  return out;
}

/** What to say about a --tables entry that names no table. */
export function explainUnknownTable(name: string): string {
  const byCollection = tablesByCollection().get(name);
  if (byCollection) {
    return `"${name}" is a Firestore collection; --tables takes source tables: ${byCollection.join(', ')}`;
  }
  const known = [...SOURCE_TABLES, AUTH_TABLE];
  const lower = name.toLowerCase();
  const close = known
    .map((t) => ({ t, d: t.includes(lower) || lower.includes(t) ? 1 : distance(lower, t) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(name.length / 3)))
    .sort((a, b) => a.d - b.d || a.t.localeCompare(b.t))
    .slice(0, 3)
    .map((x) => x.t);
  return close.length ? `no such table ${name} (did you mean ${close.join(' or ')}?)` : `no such table ${name}`;
}

/** Units selected by --tables (a table of the users unit brings its partner). */
export function selectUnits(tables: string[] | null): { units: string[]; notes: string[] } {
  const notes: string[] = [];
  if (tables === null) return { units: allUnits(), notes };
  const known = new Set<string>([...SOURCE_TABLES, AUTH_TABLE]);
  const unknown = tables.filter((t) => !known.has(t));
  if (unknown.length) {
    const listed = unknown.map(explainUnknownTable).join('; ');
    const all = unknown.some((t) => !/did you mean|is a Firestore collection/.test(explainUnknownTable(t)))
      ? ` Valid names: ${[...SOURCE_TABLES, AUTH_TABLE].join(', ')}.`
      : '';
    throw new UsageProblem(`option --tables: ${listed}.${all} \`zg-migrate plan\` lists every table and the collection it becomes.`);
  }
  const units: string[] = [];
  for (const t of tables) {
    const u = unitOfTable(t);
    if (!units.includes(u)) units.push(u);
  }
  if (units.includes(USERS_UNIT) && !(tables.includes('zg_profiles') && tables.includes('user_roles'))) {
    notes.push('zg_profiles and user_roles make users/{uid} together: both are migrated.');
  }
  return { units: allUnits().filter((u) => units.includes(u)), notes };
}
