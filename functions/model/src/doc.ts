import { z } from 'zod';
import type { AnyCollection } from './collection.js';
import { DOMAINS } from './registry.js';

interface FieldInfo {
  type: string;
  nullable: boolean;
  optional: boolean;
}

function metaType(t: z.ZodType): string | undefined {
  const meta = z.globalRegistry.get(t) as { zgType?: unknown } | undefined;
  return typeof meta?.zgType === 'string' ? meta.zgType : undefined;
}

/** A short, stable description of a zod type for the model document. */
export function describeType(t: z.ZodType): FieldInfo {
  let nullable = false;
  let optional = false;
  let cur: z.ZodType = t;
  for (;;) {
    const def = cur._zod.def as { type: string; innerType?: z.ZodType };
    if (def.type === 'nullable' && def.innerType) {
      nullable = true;
      cur = def.innerType;
    } else if (def.type === 'optional' && def.innerType) {
      optional = true;
      cur = def.innerType;
    } else break;
  }
  return { type: typeName(cur), nullable, optional };
}

function typeName(t: z.ZodType): string {
  const fromMeta = metaType(t);
  if (fromMeta) return fromMeta;
  const def = t._zod.def as { type: string; element?: z.ZodType; entries?: Record<string, string>; checks?: unknown[] };
  switch (def.type) {
    case 'string':
      return 'string';
    case 'number':
      return (t as z.ZodNumber).format === 'safeint' ? 'integer' : 'double';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `array<${def.element ? typeName(def.element) : 'unknown'}>`;
    case 'enum':
      return def.entries
        ? Object.values(def.entries)
            .map((v) => `'${v}'`)
            .join(' \\| ')
        : 'enum';
    case 'record':
    case 'object':
      return 'map';
    default:
      return def.type;
  }
}

/** A client-write type in a few words: its bounds and fixed forms (what firestore.rules checks). */
export function describeWrite(t: z.ZodType): string {
  let cur = t;
  for (;;) {
    const def = cur._zod.def as { type: string; innerType?: z.ZodType };
    if ((def.type === 'nullable' || def.type === 'optional') && def.innerType) cur = def.innerType;
    else break;
  }
  const meta = z.globalRegistry.get(cur) as { zgType?: string; maxKeys?: number } | undefined;
  if (meta?.zgType === 'timestamp') return 'timestamp';
  const def = cur._zod.def as { type: string; format?: string; options?: z.ZodType[]; element?: z.ZodType; shape?: Record<string, z.ZodType> };
  const checks = ((def as { checks?: Array<{ _zod: { def: { check: string; maximum?: number; value?: number; format?: string } } }> }).checks ?? []).map(
    (c) => c._zod.def,
  );
  const max = checks.find((c) => c.check === 'max_length')?.maximum;
  switch (def.type) {
    case 'string':
      return checks.some((c) => c.format === 'regex') ? `text${max ? ` ≤ ${max}` : ''}, pattern` : `text ≤ ${max ?? '?'}`;
    case 'number': {
      const lo = checks.find((c) => c.check === 'greater_than')?.value;
      const hi = checks.find((c) => c.check === 'less_than')?.value;
      const kind = def.format === 'safeint' ? 'integer' : 'number';
      return lo !== undefined && hi !== undefined && Math.abs(hi) < Number.MAX_SAFE_INTEGER
        ? `${kind} ${lo}–${hi}`
        : lo !== undefined
          ? `${kind} ≥ ${lo}`
          : kind;
    }
    case 'array':
      return `list ≤ ${max ?? '?'} of ${describeWrite(def.element as z.ZodType)}`;
    case 'object':
      return `map {${Object.keys(def.shape ?? {}).join(', ')}}`;
    case 'record':
      return `flat map ≤ ${meta?.maxKeys ?? '?'} keys of scalars`;
    case 'union':
      return (def.options ?? []).map(describeWrite).join(' or ');
    default:
      return typeName(cur);
  }
}

function fieldTable(c: AnyCollection): string {
  const write: Record<string, z.ZodType> | undefined = c.clientWrite?.shape;
  const rows = Object.entries(c.schema.shape as Record<string, z.ZodType>).map(([name, t]) => {
    const info = describeType(t);
    const desc = (z.globalRegistry.get(t) as { description?: string } | undefined)?.description ?? t.description ?? '';
    const w = write ? ` ${write[name] ? describeWrite(write[name]).replace(/\|/g, '\\|') : '–'} |` : '';
    return `| \`${name}\` | ${info.type} | ${info.nullable ? 'yes' : 'no'} | ${info.optional ? 'may be absent' : ''}${desc ? (info.optional ? '; ' : '') + desc : ''} |${w}`;
  });
  const head = write ? ['| Field | Type | Null | Notes | Client writes |', '|---|---|---|---|---|'] : ['| Field | Type | Null | Notes |', '|---|---|---|---|'];
  return [...head, ...rows].join('\n');
}

const CONVENTIONS = `## Conventions

- **Paths.** Every path is built by the model (\`collection.docPath({...})\`); nothing else spells one.
- **Field names** are the Supabase column names, so that the web app reads what it read before; the column
  that became the document id is not repeated as a field, except where noted.
- **Money** is an integer number of minor units of the row's currency (ISO 4217 exponent: 4999 USD is
  $49.99, 5000 JPY is ¥5000), in a field named \`*_minor\`, beside an upper-case \`currency\`.
- **Time** is a Firestore Timestamp (UTC, microseconds kept). A PostgreSQL \`date\` is a "YYYY-MM-DD" string.
- **Exact decimals** that are not money (rates, percentages) are their decimal text as PostgreSQL prints it
  (\`decimal_string\`: "12.50", "NaN").
- **JSON values** (\`json\`, PostgreSQL jsonb) are maps and arrays, encoded losslessly where Firestore
  cannot hold JSON as it is; see "JSON values" below.
- **Roles** are the \`roles\` array on \`users/{uid}\` and the same array as the Firebase Auth custom claim \`roles\`.
- **Converters** validate every document with its zod schema on read and on write
  (\`db.doc(path).withConverter(collection.converter)\`).
- **Access** names the rule family in \`firestore.rules\`: public-read, owner, staff, public-create,
  signed-in, server-only (Admin SDK only).
- **Client writes** (the last column, for collections clients write) is the collection's client-write
  standard (\`clientWrite\`), which \`firestore.rules\` checks for every field a write sets: bounded text,
  bounded lists of typed elements, json fields in fixed forms (maps with the keys listed) or flat maps
  of scalars (text ≤ 500, finite numbers, booleans, null). \`–\`: clients do not write the field. The
  stored schema (the other columns) is what the migration and every reader accept; it is wider.
`;

const JSON_VALUES = `## JSON values

A \`json\` field holds the jsonb value as a Firestore map, array or scalar, with four rules for what
Firestore cannot hold as it is (\`encodeJson\` and \`decodeJson\` in \`functions/model/src/json-encoding.ts\`;
the web app decodes with the latter):

| JSON | In Firestore | Why |
|---|---|---|
| a map key that is empty, matches \`__.*__\`, or starts with \`~\` | the key with one more \`~\` in front (\`""\` → \`"~"\`, \`"__id__"\` → \`"~__id__"\`, \`"~x"\` → \`"~~x"\`) | Firestore refuses empty and reserved field names; escaping \`~\` keeps decoding unambiguous (decoding drops one leading \`~\` from every key) |
| an array directly inside an array, \`[[1, 2]]\` | \`[{"~array": [1, 2]}]\` | Firestore has no array in an array |
| the whole value is JSON \`null\` | \`{"~null": true}\` | a null field means SQL NULL; the two stay apart |
| anything else | as is (\`null\` inside maps and arrays stays \`null\`) | |

A map whose only key is \`~array\` or \`~null\` is always such a wrapper (an original key \`~array\` is
stored as \`~~array\`). The migration rejects, with the reason, what cannot be stored losslessly: a number a
double cannot hold exactly (integers beyond 2^53, more digits than a double keeps), nesting deeper than
Firestore's 20 levels once encoded (the field itself is level 1), and a field path (the field's name and
every key on the way, joined by dots; array items add none) longer than 1,500 bytes.
`;

/** The generated docs/firestore-model.md (a test fails when the committed file differs). */
export function renderModelDoc(extraSections: string[] = []): string {
  const parts = [
    '# Firestore model',
    '',
    '<!-- Generated from functions/model by `npm run docs:model`; do not edit by hand. -->',
    '',
    CONVENTIONS,
    JSON_VALUES,
    ...extraSections,
  ];
  for (const domain of DOMAINS) {
    parts.push(`## ${domain.name}`, '');
    for (const c of domain.collections) {
      parts.push(
        `### \`${c.template}\``,
        '',
        c.description,
        '',
        `- Source: ${c.sources.length ? c.sources.map((s) => `\`${s}\``).join(', ') : '(new in Firebase)'}`,
        `- Document id: ${c.idFrom}`,
        `- Access: ${c.access}`,
        '',
        fieldTable(c),
        '',
      );
    }
  }
  return `${parts.join('\n').trimEnd()}\n`;
}
