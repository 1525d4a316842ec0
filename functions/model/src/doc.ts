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
      return def.entries ? Object.values(def.entries).map((v) => `'${v}'`).join(' \\| ') : 'enum';
    case 'record':
    case 'object':
      return 'map';
    default:
      return def.type;
  }
}

function fieldTable(c: AnyCollection): string {
  const rows = Object.entries(c.schema.shape as Record<string, z.ZodType>).map(([name, t]) => {
    const info = describeType(t);
    const desc = (z.globalRegistry.get(t) as { description?: string } | undefined)?.description ?? t.description ?? '';
    return `| \`${name}\` | ${info.type} | ${info.nullable ? 'yes' : 'no'} | ${info.optional ? 'may be absent' : ''}${desc ? (info.optional ? '; ' : '') + desc : ''} |`;
  });
  return ['| Field | Type | Null | Notes |', '|---|---|---|---|', ...rows].join('\n');
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
- **Roles** are the \`roles\` array on \`users/{uid}\` and the same array as the Firebase Auth custom claim \`roles\`.
- **Converters** validate every document with its zod schema on read and on write
  (\`db.doc(path).withConverter(collection.converter)\`).
- **Access** names the rule family in \`firestore.rules\`: public-read, owner, staff, public-create,
  signed-in, server-only (Admin SDK only).
`;

/** The generated docs/firestore-model.md (a test fails when the committed file differs). */
export function renderModelDoc(extraSections: string[] = []): string {
  const parts = [
    '# Firestore model',
    '',
    '<!-- Generated from functions/model by `npm run docs:model`; do not edit by hand. -->',
    '',
    CONVENTIONS,
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
