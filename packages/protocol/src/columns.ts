/**
 * What the protocol knows about a table's columns: their names and a type kind per column, and one
 * comparator per kind. Sorting, keyset positions and filters all compare through this module, so
 * the server's indexes, the client's window and any program that checks them agree on one order.
 *
 * Today the list is static, for `orders`; following schema changes can later feed it instead.
 *
 * Orders, per kind (ascending):
 *   integer         numerically (JS numbers, exact up to 2^53)
 *   decimal-string  numerically, on the decimal text itself ("10.5" > "9.75"; "1.50" equals "1.5")
 *   timestamp       as instants (offsets honoured, microseconds kept: the text is never a float)
 *   text            by UTF-16 code unit, as JS `<` does: no locale, no collation. For text without
 *                   characters above U+FFFF this is code point order, i.e. Postgres' `COLLATE "C"`
 *   enum            as text: one of a fixed list of values (orders.status is text with a CHECK in
 *                   the database, which orders it as text too)
 *   null            after every value ascending (before every value descending), as Postgres does
 */
import { ORDER_STATUSES, type OrderRow } from './orders.js';

export const COLUMN_KINDS = ['integer', 'decimal-string', 'text', 'timestamp', 'enum'] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];

export interface ColumnInfo {
  readonly name: string;
  readonly kind: ColumnKind;
  /** The allowed values of an enum column. */
  readonly values?: readonly string[];
}

export type ColumnValue = string | number | null;

export type OrderColumn = keyof OrderRow;

/** The columns of `orders`, in table order. */
export const ORDERS_COLUMNS: readonly (ColumnInfo & { readonly name: OrderColumn })[] = Object.freeze([
  { name: 'id', kind: 'integer' },
  { name: 'customer_name', kind: 'text' },
  { name: 'product_name', kind: 'text' },
  { name: 'status', kind: 'enum', values: ORDER_STATUSES },
  { name: 'quantity', kind: 'integer' },
  { name: 'amount', kind: 'decimal-string' },
  { name: 'created_at', kind: 'timestamp' },
  { name: 'updated_at', kind: 'timestamp' },
]);

const BY_NAME = new Map<string, ColumnInfo>(ORDERS_COLUMNS.map((column) => [column.name, column]));

/** The column of `orders` with that name; undefined when there is none. */
export function columnInfo(name: string): ColumnInfo | undefined {
  return BY_NAME.get(name);
}

/** Names of the columns filters may match by `prefix`/`contains`. */
export function textColumns(): string[] {
  return ORDERS_COLUMNS.filter((column) => column.kind === 'text').map((column) => column.name);
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
  return sign(magnitude) * sa;
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

/** The ascending comparator of a column (nulls last). */
export function comparatorFor(column: ColumnInfo): Comparator {
  switch (column.kind) {
    case 'integer':
      return nonNull((a: number, b: number) => sign(a - b));
    case 'decimal-string':
      return nonNull(compareDecimalStrings);
    case 'timestamp':
      return nonNull(compareInstants);
    case 'text':
    case 'enum':
      return nonNull(compareText);
  }
}
