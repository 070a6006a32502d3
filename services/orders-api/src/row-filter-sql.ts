/**
 * A row filter (the protocol's, as an access token pins it) as SQL conditions on the orders table.
 * Each condition compares the column's wire form (wire-columns.ts: amount as
 * its numeric(12,2) text, timestamps as ISO-8601 text), so SQL selects exactly the rows that
 * matchesFilter accepts, the websocket-service's test. Values are bind parameters, cast to the
 * column's type; the SQL is a choice among fixed column expressions.
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

/** Conditions (to be ANDed) for `filter`; its values are appended to `values`, numbered after those already there. */
export function filterConditions(filter: RowFilter, values: unknown[]): string[] {
  const conditions: string[] = [];
  for (const column of Object.keys(WIRE_EXPRESSIONS) as (keyof OrderRow)[]) {
    const condition = filter[column] as { eq?: unknown; in?: unknown[] } | undefined;
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
  }
  return conditions;
}
