/**
 * The table's order: by one column, ascending or descending, ties broken by id so the order is total
 * (a row's place is always the same, and binary search finds it). Values compare by their meaning:
 * amounts as exact decimals, timestamps as instants (to the microsecond), statuses in lifecycle order.
 */
import { ORDER_STATUSES, type OrderRow } from '@orders-live/protocol';

export type SortColumn = keyof OrderRow;
export type SortDirection = 'ascending' | 'descending';

export interface SortOrder {
  readonly column: SortColumn;
  readonly direction: SortDirection;
}

export const DEFAULT_SORT: SortOrder = { column: 'id', direction: 'ascending' };

const text = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Negative when a comes first under `sort`, positive when b does; 0 only for the same id. */
export function compareRows(a: OrderRow, b: OrderRow, sort: SortOrder): number {
  const byColumn = compareColumn(a, b, sort.column);
  const result = byColumn !== 0 ? byColumn : a.id - b.id;
  return sort.direction === 'ascending' ? result : -result;
}

function compareColumn(a: OrderRow, b: OrderRow, column: SortColumn): number {
  switch (column) {
    case 'id':
    case 'quantity':
      return a[column] - b[column];
    case 'amount':
      return compareDecimals(a.amount, b.amount);
    case 'created_at':
    case 'updated_at':
      return compareInstants(a[column], b[column]);
    case 'status':
      return ORDER_STATUSES.indexOf(a.status) - ORDER_STATUSES.indexOf(b.status);
    case 'customer_name':
    case 'product_name':
      return text.compare(a[column], b[column]);
  }
}

/** Rows in `sort` order (a new array). */
export function sortRows(rows: readonly OrderRow[], sort: SortOrder): OrderRow[] {
  return [...rows].sort((a, b) => compareRows(a, b, sort));
}

/** Where `row` goes in `sorted` (rows in `sort` order, without it): the index of the first row after it. */
export function insertionIndex(sorted: readonly OrderRow[], row: OrderRow, sort: SortOrder): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareRows(sorted[middle]!, row, sort) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The index of `row` (the very value kept there, or an equal one with the same id) in `sorted`, or -1. */
export function indexOfRow(sorted: readonly OrderRow[], row: OrderRow, sort: SortOrder): number {
  const index = insertionIndex(sorted, row, sort);
  return sorted[index]?.id === row.id ? index : -1;
}

/** A click on a column's header: the same column flips direction, another one starts ascending. */
export function nextSort(current: SortOrder, column: SortColumn): SortOrder {
  if (current.column !== column) return { column, direction: 'ascending' };
  return { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
}

/** Exact comparison of decimal strings ("-12.5", "0012.50"): no float rounding, any length. */
export function compareDecimals(a: string, b: string): number {
  const x = splitDecimal(a);
  const y = splitDecimal(b);
  if (x.negative !== y.negative) return x.negative ? -1 : 1;
  const magnitude = x.whole.length !== y.whole.length ? x.whole.length - y.whole.length : x.whole < y.whole ? -1 : x.whole > y.whole ? 1 : compareFractions(x.fraction, y.fraction);
  return x.negative ? -magnitude : magnitude;
}

function splitDecimal(value: string): { negative: boolean; whole: string; fraction: string } {
  const negative = value.startsWith('-');
  const [whole = '', fraction = ''] = (negative ? value.slice(1) : value).split('.');
  const trimmedWhole = whole.replace(/^0+/, '');
  const trimmedFraction = fraction.replace(/0+$/, '');
  // -0 and -0.00 are zero, not negative.
  return { negative: negative && (trimmedWhole !== '' || trimmedFraction !== ''), whole: trimmedWhole, fraction: trimmedFraction };
}

function compareFractions(a: string, b: string): number {
  const length = Math.max(a.length, b.length);
  const x = a.padEnd(length, '0');
  const y = b.padEnd(length, '0');
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * ISO-8601 instants with Postgres' microseconds: milliseconds by Date.parse (on the text cut to ms),
 * then the sub-millisecond digits. Text that does not parse sorts before any instant, by itself.
 */
export function compareInstants(a: string, b: string): number {
  const x = instantParts(a);
  const y = instantParts(b);
  if (x === undefined || y === undefined) {
    if (x !== undefined) return 1;
    if (y !== undefined) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return x.millis !== y.millis ? x.millis - y.millis : x.micros - y.micros;
}

function instantParts(iso: string): { millis: number; micros: number } | undefined {
  const fraction = /\.(\d+)/.exec(iso)?.[1] ?? '';
  const millis = Date.parse(iso.replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(millis)) return undefined;
  return { millis, micros: Number(fraction.padEnd(6, '0').slice(3, 6)) };
}
