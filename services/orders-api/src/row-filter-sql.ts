/**
 * A row filter (the protocol's, as an access token pins it) as SQL conditions on the orders table.
 * Each condition compares the column's wire form (wire-columns.ts: amount as
 * its numeric(12,2) text, timestamps as ISO-8601 text), so SQL selects exactly the rows that
 * matchesFilter accepts, the websocket-service's test. Values are bind parameters, cast to the
 * column's type; the SQL is a choice among fixed column expressions.
 *
 * Ranges (gt, gte, lt, lte) compare in the column's order as the protocol's comparator has it:
 * amount as a number, timestamps as instants, text by code point (COLLATE "C", which orders as
 * UTF-16 code units do but for characters beyond U+FFFF against U+E000–U+FFFF). A null is in no range
 * in SQL either.
 */
import type { OrderRow, RowFilter } from '@orders-live/protocol';
import { WIRE_EXPRESSIONS } from './wire-columns.js';

/** The Postgres type each column's wire form is compared as. */
const WIRE_TYPES: Readonly<Record<keyof OrderRow, string>> = {
  id: 'bigint',
  customer_name: 'text',
  product_name: 'text',
  status: 'text',
  quantity: 'integer',
  amount: 'text',
  created_at: 'text',
  updated_at: 'text',
};

/** Each column as a range compares it: in its own type, text bytewise. */
const RANGE_EXPRESSIONS: Readonly<Record<keyof OrderRow, string>> = {
  id: 'id',
  customer_name: 'customer_name COLLATE "C"',
  product_name: 'product_name COLLATE "C"',
  status: 'status COLLATE "C"',
  quantity: 'quantity',
  amount: 'amount',
  created_at: 'created_at',
  updated_at: 'updated_at',
};

/** The Postgres type a range bound is cast to. */
const RANGE_TYPES: Readonly<Record<keyof OrderRow, string>> = {
  ...WIRE_TYPES,
  amount: 'numeric',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
};

const RANGE_OPERATORS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
type RangeBound = keyof typeof RANGE_OPERATORS;

const FRACTION = /^([^.]*\.\d{6})(\d+)(.*)$/;

/**
 * A range bound on a timestamp as Postgres can hold it. Postgres keeps microseconds and rounds a finer
 * bound; matchesFilter keeps nanoseconds. Against rows of whole microseconds a bound b between two
 * of them says the same as its microsecond m (b cut short): > b is > m, <= b is <= m, >= b is > m,
 * < b is <= m. Any other bound is unchanged.
 */
export function microsecondBound(bound: RangeBound, value: string): { bound: RangeBound; value: string } {
  const match = FRACTION.exec(value);
  if (!match || /^0+$/.test(match[2]!)) return { bound, value };
  const cut = `${match[1]!}${match[3]!}`;
  return { bound: bound === 'gte' ? 'gt' : bound === 'lt' ? 'lte' : bound, value: cut };
}

/** Conditions (to be ANDed) for `filter`; its values are appended to `values`, numbered after those already there. */
export function filterConditions(filter: RowFilter, values: unknown[]): string[] {
  const conditions: string[] = [];
  for (const column of Object.keys(WIRE_EXPRESSIONS) as (keyof OrderRow)[]) {
    const condition = filter[column] as ({ eq?: unknown; in?: unknown[] } & { [bound in RangeBound]?: unknown }) | undefined;
    if (condition === undefined) continue;
    const expression = WIRE_EXPRESSIONS[column];
    const type = WIRE_TYPES[column];
    if ('eq' in condition) {
      values.push(condition.eq);
      conditions.push(`${expression} = $${values.length}::${type}`);
    }
    if (condition.in !== undefined) {
      values.push(condition.in);
      conditions.push(`${expression} = ANY($${values.length}::${type}[])`);
    }
    for (const given of Object.keys(RANGE_OPERATORS) as RangeBound[]) {
      if (condition[given] === undefined) continue;
      const isInstant = RANGE_TYPES[column] === 'timestamptz';
      const { bound, value } = isInstant ? microsecondBound(given, condition[given] as string) : { bound: given, value: condition[given] };
      values.push(value);
      conditions.push(`${RANGE_EXPRESSIONS[column]} ${RANGE_OPERATORS[bound]} $${values.length}::${RANGE_TYPES[column]}`);
    }
  }
  return conditions;
}
