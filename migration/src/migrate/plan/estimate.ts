/**
 * `zg-migrate plan`: the mapping of every table, from the same plans the run uses.
 */
import { AUTH_TABLE, pathOverColumns, planFieldType, tablePlans, type PlanFieldType, type TablePlan } from './mapping.js';
import { estimateSeconds, type GovernorOptions } from '../target/governor.js';

export interface PlanTable {
  table: string;
  path: string;
  fields: Record<string, { field: string; type: PlanFieldType }>;
  notes: string;
}

export interface PlanJson {
  tables: PlanTable[];
}

function planOf(p: TablePlan): PlanTable {
  const fields: PlanTable['fields'] = {};
  const primary = p.destinations[0];
  if (!primary) throw new Error(`${p.table}: no destination`);
  const notes = [...p.notes];
  const ruled = new Set(p.rule?.fields ?? []);
  // Only the table's own columns: user_roles shares users/{uid} with zg_profiles but has four columns.
  const own = new Set(p.columns);
  for (const d of p.destinations) {
    for (const f of d.fields) {
      if (!f.column || !own.has(f.column) || fields[f.column] || ruled.has(f.field)) continue;
      fields[f.column] = { field: f.field, type: planFieldType(f.modelType) };
      if (f.currencyColumn && !fields[f.currencyColumn]) fields[f.currencyColumn] = { field: 'currency', type: 'string' };
    }
  }
  for (const d of p.destinations) {
    for (const column of Object.values(d.params)) {
      if (own.has(column) && !fields[column]) fields[column] = { field: '__name__', type: 'string' };
    }
    if (d !== primary) notes.push(`Also writes ${pathOverColumns(d)} (${d.fields.map((f) => f.field).join(', ')}).`);
  }
  // The table's own entries (its rule's columns; users/{uid}, built from two tables) win.
  Object.assign(fields, p.planFields);
  if (p.files.length)
    notes.push(`${p.files.join(', ')}: URLs of files; \`zg-migrate files\` copies the Supabase Storage objects they point to and rewrites them.`);
  // users/{uid} is described by zg_profiles; user_roles adds its four columns and nothing else.
  if (p.table === 'user_roles') return { table: p.table, path: pathOverColumns(primary), fields, notes: notes.join(' ') };
  if (p.destinations.some((d) => d.fields.some((f) => f.conversion === 'json'))) {
    notes.push('jsonb columns are maps or arrays as stored, with the lossless encoding of docs/firestore-model.md ("JSON values").');
  }
  if (p.destinations.some((d) => d.fields.some((f) => f.conversion === 'money'))) {
    notes.push("Amounts become integer minor units of the row's currency (ISO 4217 exponent); a NULL or unknown currency beside an amount is rejected.");
  }
  if (p.destinations.some((d) => d.ownerColumn))
    notes.push(`A row whose ${primary.ownerColumn === '@profile_owner' ? 'profile owner' : primary.ownerColumn} is not a migrated user is rejected.`);
  return { table: p.table, path: pathOverColumns(primary), fields, notes: notes.join(' ') };
}

export function planJson(): PlanJson {
  return { tables: tablePlans().map(planOf) };
}

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** The human form: one block per table, then the Auth import and the time estimate. */
export function planText(counts: Map<string, number> | null, governor: GovernorOptions): string[] {
  const out: string[] = [];
  for (const t of planJson().tables) {
    const n = counts?.get(t.table);
    out.push(`${t.table}${n === undefined ? '' : ` (${n.toLocaleString('en')} rows)`} → ${t.path}`);
    const width = Math.max(...Object.keys(t.fields).map((k) => k.length));
    for (const [column, f] of Object.entries(t.fields)) out.push(`    ${column.padEnd(width)}  → ${f.field} (${f.type})`);
    if (t.notes) out.push(`    note: ${t.notes}`);
  }
  out.push(
    `${AUTH_TABLE} → Firebase Auth (importUsers, 1,000 a call): uid = id (or, with --uid-map email, the existing user with the same e-mail), email, emailVerified (email_confirmed_at), displayName (raw_user_meta_data name/full_name), phoneNumber, creation and last sign-in times, bcrypt password hash, disabled when banned or deleted, custom claim roles (user_roles).`,
  );
  out.push('');
  const docs = counts ? [...counts.values()].reduce((a, b) => a + b, 0) : null;
  const describe =
    governor.maxOpsPerSecond !== undefined
      ? `at most ${governor.maxOpsPerSecond} writes/s`
      : governor.emulator
        ? 'unthrottled (emulator)'
        : "Firestore's 500/50/5 ramp (500 writes/s, +50 % every 5 minutes)";
  if (docs !== null) {
    const s = estimateSeconds(docs, governor);
    out.push(
      `Estimated write time for ${docs.toLocaleString('en')} documents with ${describe}: ${s === null ? 'bounded by the emulator (about 10,000 documents/s measured here)' : duration(s)}.`,
    );
  } else {
    out.push(`Estimated write time with ${describe} (give --source for this database's row counts):`);
    for (const n of [10_000, 100_000, 1_000_000, 10_000_000]) {
      const s = estimateSeconds(n, governor.emulator ? { emulator: false, maxOpsPerSecond: governor.maxOpsPerSecond } : governor);
      out.push(`    ${n.toLocaleString('en').padStart(10)} documents: ${s === null ? '?' : duration(s)}`);
    }
  }
  return out;
}
