/**
 * What the protocol knows about a table's columns: their names, a type kind per column (the kind
 * fixes the value's JSON form, see below), and one comparator per kind. Sorting, keyset positions
 * and filters all compare through this module, so the server's indexes, the client's window and any
 * program that checks them agree on one order.
 *
 * The columns are the table's as the change stream last described them: the server sends them in a
 * `columns` frame at subscribe and after every schema change (frames.ts). ORDERS_COLUMNS is the
 * table as database/sql creates it, for programs that have not heard from a server.
 *
 *   kind         Postgres                          wire form                     ascending order
 *   int          smallint, integer                 number                        numeric
 *   bigint       bigint                            number (exact up to 2^53)     numeric
 *   float        real, double precision            number                        numeric
 *   decimal      numeric, money                    string, exact decimal text    numeric, on the text ("10.5" > "9.75")
 *   boolean      boolean                           boolean                       false, true
 *   text         text, varchar, char, name, xml…   string                        UTF-16 code units (COLLATE "C")
 *   enum         a user-defined enum type          string                        as text
 *   uuid         uuid                              string                        as text
 *   json         json, jsonb                       string, the JSON text         as text
 *   bytes        bytea                             string, base64                as text
 *   date         date                              "YYYY-MM-DD"                  as text (= by date)
 *   time         time                              "HH:MM:SS.ffffff"             as text (= by time)
 *   timetz       time with time zone               ISO time with offset          as text
 *   timestamp    timestamp                         "YYYY-MM-DDTHH:MM:SS.ffffff"  as text (= by time)
 *   timestamptz  timestamp with time zone          ISO-8601 in UTC with a Z      as instants (offsets, µs kept)
 *   interval     interval                          ISO-8601 duration             as text
 *   array        T[] of any kind above             array of T's wire form        not sortable nor filterable
 *
 * Null sorts after every value ascending (before every value descending), as Postgres does.
 */
import * as z from 'zod';
import { decimalStringSchema, instantSchema, type OrderRow } from './orders.js';

export const COLUMN_KINDS = [
  'int',
  'bigint',
  'float',
  'decimal',
  'boolean',
  'text',
  'enum',
  'uuid',
  'json',
  'bytes',
  'date',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'interval',
  'array',
] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];

/** A value of any column, in its wire form. */
export type WireValue = string | number | boolean | null | readonly WireValue[];
const wireValueSchema: z.ZodType<WireValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(wireValueSchema)]),
);

/** Longest column name Postgres allows (NAMEDATALEN - 1 bytes). */
export const MAX_COLUMN_NAME_LENGTH = 63;
export const columnNameSchema = z.string().min(1).max(MAX_COLUMN_NAME_LENGTH);

/** One column as the `columns` frame carries it. */
export const columnInfoSchema = z.strictObject({
  name: columnNameSchema,
  kind: z.enum(COLUMN_KINDS),
  /** For arrays, the kind of each element. */
  elementKind: z.enum(COLUMN_KINDS).optional(),
  /** Postgres' type name as Debezium reports it ("VARCHAR", "INT8"); null when the record did not say. */
  sourceType: z.string().nullable(),
  nullable: z.boolean(),
  /** The column's constant default in wire form; absent when it has none the connector can express. */
  defaultValue: wireValueSchema.optional(),
});
export type ColumnInfo = z.infer<typeof columnInfoSchema>;

export type ColumnValue = string | number | boolean | null;

export type OrderColumn = keyof OrderRow;

const EPOCH_PLACEHOLDER = '1970-01-01T00:00:00.000000Z';

/** The columns of `orders` as database/sql creates them, in table order (the server's are authoritative). */
export const ORDERS_COLUMNS: readonly (ColumnInfo & { readonly name: OrderColumn })[] = Object.freeze([
  { name: 'id', kind: 'bigint', sourceType: 'INT8', nullable: false },
  { name: 'customer_name', kind: 'text', sourceType: 'TEXT', nullable: false },
  { name: 'product_name', kind: 'text', sourceType: 'TEXT', nullable: false },
  { name: 'status', kind: 'text', sourceType: 'TEXT', nullable: false, defaultValue: 'pending' },
  { name: 'quantity', kind: 'int', sourceType: 'INT4', nullable: false },
  { name: 'amount', kind: 'decimal', sourceType: 'NUMERIC', nullable: false },
  { name: 'created_at', kind: 'timestamptz', sourceType: 'TIMESTAMPTZ', nullable: false, defaultValue: EPOCH_PLACEHOLDER },
  { name: 'updated_at', kind: 'timestamptz', sourceType: 'TIMESTAMPTZ', nullable: false, defaultValue: EPOCH_PLACEHOLDER },
]);

/** How a table's columns are looked up by name: a list (the columns frame) made searchable. */
export type ColumnLookup = (name: string) => ColumnInfo | undefined;

/** A lookup over a list of columns. */
export function columnLookup(columns: readonly ColumnInfo[]): ColumnLookup {
  const byName = new Map(columns.map((column) => [column.name, column]));
  return (name) => byName.get(name);
}

const ORDERS_LOOKUP = columnLookup(ORDERS_COLUMNS);

/** The column with that name (of `orders` as created, unless a lookup is given); undefined when there is none. */
export function columnInfo(name: string, lookup: ColumnLookup = ORDERS_LOOKUP): ColumnInfo | undefined {
  return lookup(name);
}

/** Kinds whose values are text, which filters may match by `prefix`/`contains`. */
export const TEXT_KINDS: readonly ColumnKind[] = ['text', 'enum', 'uuid'];

/** Names of the columns filters may match by `prefix`/`contains`. */
export function textColumns(columns: readonly ColumnInfo[] = ORDERS_COLUMNS): string[] {
  return columns.filter((column) => TEXT_KINDS.includes(column.kind)).map((column) => column.name);
}

/** Whether windows may sort by a column of this kind. */
export function sortable(column: ColumnInfo): boolean {
  return column.kind !== 'array';
}

/** The schema of one (non-null) value of a column, in wire form. */
export function valueSchemaFor(column: ColumnInfo): z.ZodType<ColumnValue> {
  switch (column.kind) {
    case 'int':
    case 'bigint':
      return z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
    case 'float':
      return z.number();
    case 'decimal':
      return decimalStringSchema;
    case 'boolean':
      return z.boolean();
    case 'timestamptz':
      return instantSchema;
    case 'array':
      return z.never();
    default:
      return z.string().max(1_000);
  }
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Numeric order of two decimal strings ("-12.50", "3"), exact at any length. */
export function compareDecimalStrings(a: string, b: string): number {
  const negA = a.startsWith('-');
  const negB = b.startsWith('-');
  const [intA, fracA = ''] = (negA ? a.slice(1) : a).split('.') as [string, string?];
  const [intB, fracB = ''] = (negB ? b.slice(1) : b).split('.') as [string, string?];
  const ia = intA.replace(/^0+(?=\d)/, '');
  const ib = intB.replace(/^0+(?=\d)/, '');
  const fa = fracA.replace(/0+$/, '');
  const fb = fracB.replace(/0+$/, '');
  const zeroA = /^0*$/.test(ia) && fa === '';
  const zeroB = /^0*$/.test(ib) && fb === '';
  const sa = zeroA ? 0 : negA ? -1 : 1;
  const sb = zeroB ? 0 : negB ? -1 : 1;
  if (sa !== sb) return sign(sa - sb);
  if (sa === 0) return 0;
  let magnitude: number;
  if (ia.length !== ib.length) magnitude = ia.length - ib.length;
  else if (ia !== ib) magnitude = ia < ib ? -1 : 1;
  else {
    const width = Math.max(fa.length, fb.length);
    const pa = fa.padEnd(width, '0');
    const pb = fb.padEnd(width, '0');
    magnitude = pa === pb ? 0 : pa < pb ? -1 : 1;
  }
  // Equal values compare 0, not -0 (the sign of two equal negatives would make it -0).
  return magnitude === 0 ? 0 : sign(magnitude) * sa;
}

const INSTANT_PATTERN = /^(\d{4,}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/i;

/** [epoch seconds, nanoseconds] of an ISO-8601 instant with an offset; NaN seconds when it is not one. */
export function instantParts(text: string): [number, number] {
  const match = INSTANT_PATTERN.exec(text);
  if (!match) return [Number.NaN, 0];
  const ms = Date.parse(`${match[1]}${match[3]}`);
  return [Math.floor(ms / 1000), Number((match[2] ?? '').padEnd(9, '0'))];
}

/** Order of two instants (ISO-8601 text), by the moment they denote. */
export function compareInstants(a: string, b: string): number {
  if (a === b) return 0;
  const [sa, na] = instantParts(a);
  const [sb, nb] = instantParts(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  return sign(na - nb);
}

/** UTF-16 code unit order, as JS compares strings. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type Comparator = (a: ColumnValue, b: ColumnValue) => number;

function nonNull(compare: (a: never, b: never) => number): Comparator {
  return (a, b) => {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    return compare(a as never, b as never);
  };
}

/** The ascending comparator of a column (nulls last). Arrays compare as their JSON text (not sortable on the wire). */
export function comparatorFor(column: Pick<ColumnInfo, 'kind'>): Comparator {
  switch (column.kind) {
    case 'int':
    case 'bigint':
    case 'float':
      return nonNull((a: number, b: number) => sign(a - b));
    case 'decimal':
      return nonNull(compareDecimalStrings);
    case 'timestamptz':
      return nonNull(compareInstants);
    case 'boolean':
      return nonNull((a: boolean, b: boolean) => (a === b ? 0 : a ? 1 : -1));
    case 'array':
      return nonNull((a: unknown, b: unknown) => compareText(JSON.stringify(a), JSON.stringify(b)));
    default:
      return nonNull(compareText);
  }
}
