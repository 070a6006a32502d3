/**
 * A Kafka Connect schema of the table's row (as the JsonConverter embeds it with schemas.enable=true)
 * → the table's columns and, per column, the function that turns its JSON value into its wire form.
 * Pure. The type of a column is read from the schema alone (Connect type, Debezium's semantic name,
 * and the source type the connector propagates, column.propagate.source.type); never from a value.
 *
 * Debezium's encodings this reads (time.precision.mode=adaptive, decimal.handling.mode=string,
 * interval.handling.mode=string, binary.handling.mode=bytes, which the JsonConverter writes as base64):
 *   io.debezium.time.Date            int32, days since 1970-01-01
 *   io.debezium.time.Time            int32, ms of the day          (time(0..3))
 *   io.debezium.time.MicroTime       int64, µs of the day          (time(4..6))
 *   io.debezium.time.Timestamp       int64, ms since the epoch     (timestamp(0..3))
 *   io.debezium.time.MicroTimestamp  int64, µs since the epoch     (timestamp(4..6))
 *   io.debezium.time.ZonedTimestamp  string, ISO-8601 in UTC       (timestamptz)
 *   io.debezium.time.ZonedTime       string                        (timetz)
 *   io.debezium.time.Interval        string, ISO-8601 duration     (interval)
 *   io.debezium.data.Uuid / Json / Xml / Enum / Ltree / Bits       string / string / string / string / string / bytes
 *   a plain string with source type NUMERIC, DECIMAL or MONEY      the exact decimal text
 */
import * as z from 'zod';
import { columnSet, type Column, type ColumnKind, type ColumnSet, type WireValue } from '../../table/column-set.js';

/** One field of a Connect struct schema, as the JsonConverter writes it. */
interface ConnectField {
  readonly type: string;
  readonly optional?: boolean | undefined;
  readonly field?: string | undefined;
  readonly name?: string | undefined;
  readonly parameters?: Readonly<Record<string, string>> | undefined;
  readonly default?: unknown;
  readonly items?: ConnectField | undefined;
  readonly fields?: readonly ConnectField[] | undefined;
}

export const connectFieldSchema: z.ZodType<ConnectField> = z.lazy(() =>
  z.object({
    type: z.string(),
    optional: z.boolean().optional(),
    field: z.string().optional(),
    name: z.string().optional(),
    parameters: z.record(z.string(), z.string()).optional(),
    default: z.unknown().optional(),
    items: connectFieldSchema.optional(),
    fields: z.array(connectFieldSchema).optional(),
  }),
);

/** Why a value or a schema cannot be turned into the wire form. */
export class ValueError extends Error {}

type Convert = (value: unknown) => WireValue;

/** The columns and how to read a row written under them. */
export interface RowCodec {
  readonly columns: ColumnSet;
  /** JSON row (an object) → row in wire form; throws ValueError on any value that does not fit. */
  readonly read: (row: unknown) => Record<string, WireValue>;
}

const SOURCE_TYPE = '__debezium.source.column.type';
const DECIMAL_SOURCE_TYPES = new Set(['NUMERIC', 'DECIMAL', 'MONEY']);
const MS_PER_DAY = 86_400_000;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DECIMAL_TEXT = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|NaN|-?Infinity)$/;
/** Jackson writes a float's NaN and infinities as these strings. */
const FLOAT_WORDS = new Set(['NaN', 'Infinity', '-Infinity']);

const isString = (v: unknown): v is string => typeof v === 'string';

function expectString(what: string): Convert {
  return (v) => {
    if (!isString(v)) throw new ValueError(`expected ${what} as a string`);
    return v;
  };
}

function expectInteger(v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v))
    throw new ValueError(`expected an exact integer, got ${typeof v === 'number' ? 'a number past 2^53 or a fraction' : typeof v}`);
  return v;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** µs of the day → "HH:MM:SS.ffffff". */
function timeOfDay(micros: number): string {
  if (micros < 0 || micros > 86_400_000_000) throw new ValueError('time of day out of range');
  const totalSeconds = Math.floor(micros / 1_000_000);
  const fraction = micros - totalSeconds * 1_000_000;
  return `${pad(Math.floor(totalSeconds / 3600), 2)}:${pad(Math.floor(totalSeconds / 60) % 60, 2)}:${pad(totalSeconds % 60, 2)}.${pad(fraction, 6)}`;
}

/** µs since the epoch → "YYYY-MM-DDTHH:MM:SS.ffffff" (a timestamp without time zone). */
function localTimestamp(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const date = new Date(seconds * 1_000);
  if (Number.isNaN(date.getTime())) throw new ValueError('timestamp out of range');
  // toISOString() ends in ".000Z" for a whole second: keep the seconds, put the exact µs after them.
  return `${date.toISOString().slice(0, -5)}.${pad(micros - seconds * 1_000_000, 6)}`;
}

function isoDate(days: number): string {
  const date = new Date(days * MS_PER_DAY);
  if (Number.isNaN(date.getTime())) throw new ValueError('date out of range');
  return date.toISOString().slice(0, -14);
}

interface Typed {
  readonly kind: ColumnKind;
  readonly elementKind?: ColumnKind;
  readonly convert: Convert;
}

/** Semantic types whose value Debezium writes as text, kept as it is: the kind, and what the text is. */
const TEXT_SEMANTIC_TYPES: Readonly<Record<string, readonly [ColumnKind, string]>> = {
  'io.debezium.time.ZonedTimestamp': ['timestamptz', 'an ISO timestamp'],
  'io.debezium.time.ZonedTime': ['timetz', 'an ISO time'],
  'io.debezium.time.Interval': ['interval', 'an ISO duration'],
  'io.debezium.data.Uuid': ['uuid', 'a uuid'],
  'io.debezium.data.Json': ['json', 'JSON text'],
  'io.debezium.data.Enum': ['enum', 'an enum label'],
  'io.debezium.data.Xml': ['text', 'text'],
  'io.debezium.data.Ltree': ['text', 'text'],
};

function scalar(field: ConnectField, depth: number): Typed {
  const text = field.name !== undefined && Object.hasOwn(TEXT_SEMANTIC_TYPES, field.name) ? TEXT_SEMANTIC_TYPES[field.name] : undefined;
  if (text) return { kind: text[0], convert: expectString(text[1]) };
  switch (field.name) {
    case 'io.debezium.time.Date':
    case 'org.apache.kafka.connect.data.Date':
      return { kind: 'date', convert: (v) => isoDate(expectInteger(v)) };
    case 'io.debezium.time.Time':
    case 'org.apache.kafka.connect.data.Time':
      return { kind: 'time', convert: (v) => timeOfDay(expectInteger(v) * 1_000) };
    case 'io.debezium.time.MicroTime':
      return { kind: 'time', convert: (v) => timeOfDay(expectInteger(v)) };
    case 'io.debezium.time.Timestamp':
    case 'org.apache.kafka.connect.data.Timestamp':
      return { kind: 'timestamp', convert: (v) => localTimestamp(expectInteger(v) * 1_000) };
    case 'io.debezium.time.MicroTimestamp':
      return { kind: 'timestamp', convert: (v) => localTimestamp(expectInteger(v)) };
    case 'io.debezium.data.Bits':
      return bytes();
    case undefined:
      break;
    default:
      throw new ValueError(`semantic type ${field.name} is not supported`);
  }
  switch (field.type) {
    case 'int8':
    case 'int16':
    case 'int32':
      return { kind: 'int', convert: expectInteger };
    case 'int64':
      return { kind: 'bigint', convert: expectInteger };
    case 'float': // the JsonConverter's names for Connect's float32 and float64
    case 'double':
      return {
        kind: 'float',
        convert: (v) => {
          if (typeof v === 'number' || (isString(v) && FLOAT_WORDS.has(v))) return v;
          throw new ValueError('expected a float');
        },
      };
    case 'boolean':
      return {
        kind: 'boolean',
        convert: (v) => {
          if (typeof v !== 'boolean') throw new ValueError('expected a boolean');
          return v;
        },
      };
    case 'bytes':
      return bytes();
    case 'string':
      if (DECIMAL_SOURCE_TYPES.has(field.parameters?.[SOURCE_TYPE] ?? '')) {
        return {
          kind: 'decimal',
          convert: (v) => {
            if (!isString(v) || !DECIMAL_TEXT.test(v)) throw new ValueError('expected a decimal string');
            return v;
          },
        };
      }
      return { kind: 'text', convert: expectString('text') };
    case 'array': {
      if (depth > 0 || !field.items) throw new ValueError('only one-dimensional arrays of scalars are supported');
      const element = scalar(field.items, depth + 1);
      const elementNullable = field.items.optional === true;
      return {
        kind: 'array',
        elementKind: element.kind,
        convert: (v) => {
          if (!Array.isArray(v)) throw new ValueError('expected an array');
          return v.map((item: unknown) => {
            if (item === null) {
              if (!elementNullable) throw new ValueError('null element in an array of non-null elements');
              return null;
            }
            return element.convert(item);
          });
        },
      };
    }
    default:
      throw new ValueError(`Connect type ${field.type} is not supported`);
  }
}

function bytes(): Typed {
  return {
    kind: 'bytes',
    convert: (v) => {
      if (!isString(v) || !BASE64.test(v)) throw new ValueError('expected base64 bytes');
      return v;
    },
  };
}

/** Compiles the row schema (a Connect struct) into the table's columns and a reader of its rows. */
export function compileRowSchema(row: ConnectField): RowCodec {
  if (row.type !== 'struct' || !row.fields) throw new ValueError('the row schema is not a struct');
  const columns: Column[] = [];
  const readers: { name: string; nullable: boolean; convert: Convert }[] = [];
  for (const field of row.fields) {
    if (field.field === undefined) throw new ValueError('a row field has no name');
    const typed = scalar(field, 0);
    const nullable = field.optional === true;
    let defaultValue: WireValue | undefined;
    if (field.default !== undefined && field.default !== null) {
      try {
        defaultValue = typed.convert(field.default);
      } catch {
        defaultValue = undefined; // a default the connector could not express as a value: none known
      }
    }
    columns.push({
      name: field.field,
      kind: typed.kind,
      ...(typed.elementKind === undefined ? {} : { elementKind: typed.elementKind }),
      sourceType: field.parameters?.[SOURCE_TYPE] ?? null,
      nullable,
      ...(defaultValue === undefined ? {} : { defaultValue }),
    });
    readers.push({ name: field.field, nullable, convert: typed.convert });
  }
  const names = new Set(readers.map((r) => r.name));
  if (names.size !== readers.length) throw new ValueError('the row schema names a column twice');

  return {
    columns: columnSet(columns),
    read(value) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValueError('a row is not an object');
      const source = value as Record<string, unknown>;
      const out: Record<string, WireValue> = {};
      for (const { name, nullable, convert } of readers) {
        const raw = source[name];
        if (raw === undefined) throw new ValueError(`column "${name}" is missing from the row`);
        if (raw === null) {
          if (!nullable) throw new ValueError(`column "${name}" is null but not nullable`);
          out[name] = null;
        } else {
          try {
            out[name] = convert(raw);
          } catch (err) {
            throw new ValueError(`column "${name}": ${(err as Error).message}`);
          }
        }
      }
      for (const name of Object.keys(source)) {
        if (!names.has(name)) throw new ValueError(`column "${name.slice(0, 64)}" is not in the record's schema`);
      }
      return out;
    },
  };
}
