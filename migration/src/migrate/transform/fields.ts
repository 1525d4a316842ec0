/**
 * One document field from its source column: the column's text decoded by the conversion the
 * model's field type asks for (checked against the column's catalog type when the transform is
 * compiled), NULL allowed only where the model allows it.
 */
import { encodeJson, isKnownCurrency, JsonEncodingError, type JsonValue } from '@zhengrowth/model';
import { Timestamp } from 'firebase-admin/firestore';
import type { ColumnKind, SourceRow, SourceTable } from '../sources/catalog.js';
import { MappingError, PROFILE_OWNER, type Conversion, type DestinationPlan, type FieldPlan } from '../plan/mapping.js';
import {
  checkJsonNumbers,
  parseBoolean,
  parseDate,
  parseDecimal,
  parseFloat8,
  parseInteger,
  parseTextArray,
  parseTimestamptz,
  reject,
} from '../codecs/pgtext.js';
import { money } from '../codecs/money.js';
import type { TransformContext } from './types.js';

const COMPATIBLE: Record<Conversion, readonly ColumnKind[]> = {
  timestamp: ['timestamptz'],
  date: ['date'],
  money: ['numeric', 'integer', 'bigint'],
  decimal: ['numeric'],
  json: ['jsonb'],
  integer: ['integer', 'bigint'],
  double: ['float', 'integer'],
  string: ['uuid', 'text', 'enum', 'inet', 'integer', 'bigint'],
  uid: ['uuid', 'text'],
  currency: ['text'],
  boolean: ['boolean'],
  strings: ['text[]'],
  null: ['uuid', 'text'],
  enum: ['text', 'enum'],
};

type Decoder = (text: string) => unknown;

function jsonDecoder(col: string, field: string): Decoder {
  return (t) => {
    checkJsonNumbers(t, col);
    let parsed: JsonValue;
    try {
      parsed = JSON.parse(t) as JsonValue;
    } catch (err) {
      return reject(`${col} is not valid JSON: ${(err as Error).message}`);
    }
    try {
      return encodeJson(parsed, { field });
    } catch (err) {
      if (err instanceof JsonEncodingError) return reject(`${col}: ${err.message}`);
      throw err;
    }
  };
}

function decoderFor(conversion: Conversion, field: FieldPlan, where: string, ctx: TransformContext): Decoder {
  const col = `${where}.${field.column ?? field.field}`;
  switch (conversion) {
    case 'timestamp':
      return (t) => {
        const i = parseTimestamptz(t, col);
        return new Timestamp(i.seconds, i.nanoseconds);
      };
    case 'date':
      return (t) => parseDate(t, col);
    case 'decimal':
      return (t) => parseDecimal(t, col);
    case 'json':
      return jsonDecoder(col, field.field);
    case 'integer':
      return (t) => parseInteger(t, col);
    case 'double':
      return (t) => parseFloat8(t, col);
    case 'boolean':
      return (t) => parseBoolean(t, col);
    case 'strings':
      return (t) => parseTextArray(t, col);
    case 'uid':
      return (t) => ctx.users.ref(t);
    case 'currency':
      return (t) => {
        const code = t.toUpperCase();
        if (!isKnownCurrency(code)) reject(`${col} ${JSON.stringify(t)} is not an ISO 4217 currency`);
        return code;
      };
    case 'null':
      return (t) => reject(`${col} is ${JSON.stringify(t)} where only NULL may go`);
    case 'string':
    case 'enum':
      return (t) => t;
    case 'money':
      throw new Error('money is decoded with its currency');
  }
}

/** URL columns (a table spec's `files`): a copied Supabase Storage object's URL becomes its new one. */
function withUrls(decode: Decoder, ctx: TransformContext): Decoder {
  const urls = ctx.urls;
  if (!urls) return decode;
  return (t) => {
    const v = decode(t);
    if (typeof v === 'string') return urls.rewrite(v);
    if (Array.isArray(v)) return (v as unknown[]).map((u: unknown) => (typeof u === 'string' ? urls.rewrite(u) : u));
    return v;
  };
}

export interface CompiledField {
  field: string;
  build(row: SourceRow): unknown;
}

export function compileField(
  f: FieldPlan,
  table: SourceTable,
  d: DestinationPlan,
  ctx: TransformContext,
  owner: (row: SourceRow) => string | undefined,
): CompiledField {
  const where = table.name;
  if (f.column === PROFILE_OWNER) {
    return { field: f.field, build: (row) => owner(row) ?? reject(`${where}: no owner`) };
  }
  const column = f.column;
  if (column === null) throw new Error(`${where}.${f.field} is computed by its unit`);
  const col = table.columns.find((c) => c.name === column);
  if (!col) throw new MappingError(`${where} has no column ${column} for ${d.collection.template} field ${f.field}`);
  if (!COMPATIBLE[f.conversion].includes(col.kind)) {
    throw new MappingError(`${where}.${column} is ${col.pgType}, which cannot become ${f.modelType} (${d.collection.template} field ${f.field})`);
  }
  const nullReason = `${where}.${column} is NULL, but ${d.collection.template} requires ${f.field}`;
  if (f.conversion === 'money') {
    const currencyColumn = f.currencyColumn ?? 'currency';
    if (!table.columns.some((c) => c.name === currencyColumn)) throw new MappingError(`${where} has no ${currencyColumn} column for the amount ${column}`);
    const colName = `${where}.${column}`;
    const curName = `${where}.${currencyColumn}`;
    return {
      field: f.field,
      build: (row) => {
        const v = row[column] ?? null;
        if (v === null) return f.nullable ? null : reject(nullReason);
        return money(v, row[currencyColumn] ?? null, colName, curName);
      },
    };
  }
  const plain = decoderFor(f.conversion, f, where, ctx);
  const decode = f.file ? withUrls(plain, ctx) : plain;
  return {
    field: f.field,
    build: (row) => {
      const v = row[column] ?? null;
      if (v === null) return f.nullable ? null : reject(nullReason);
      return decode(v);
    },
  };
}
