/**
 * Row filters of a subscription: per column, equality or membership; columns are ANDed.
 *   { "status": { "in": ["pending", "shipped"] }, "customer_name": { "eq": "Ada Lovelace" } }
 *
 * A filter is a view definition, not a message filter: the server evaluates it on the old and the
 * new row of every change, so a row that starts matching arrives as `enter`, one that stops as `leave`.
 */
import * as z from 'zod';
import { orderRowSchema, type OrderRow } from './orders.js';

/** More alternatives than this in one `in` is a query, not a view. */
export const MAX_FILTER_VALUES = 100;

const columns = orderRowSchema.shape;
type Column = keyof OrderRow;
type Value = OrderRow[Column];

/** `{eq: v}` or `{in: [v, …]}`, with v of the column's own type. */
function condition<T extends z.ZodType>(value: T) {
  return z.union([z.strictObject({ eq: value }), z.strictObject({ in: z.array(value).min(1).max(MAX_FILTER_VALUES) })]).optional();
}

export const rowFilterSchema = z.strictObject({
  id: condition(columns.id),
  customer_name: condition(columns.customer_name),
  product_name: condition(columns.product_name),
  status: condition(columns.status),
  quantity: condition(columns.quantity),
  amount: condition(columns.amount),
  created_at: condition(columns.created_at),
  updated_at: condition(columns.updated_at),
});
export type RowFilter = z.infer<typeof rowFilterSchema>;

/** True when the row satisfies every condition of the filter (an empty filter matches every row). */
export function matchesFilter(filter: RowFilter | undefined, row: OrderRow): boolean {
  if (!filter) return true;
  for (const [column, condition] of Object.entries(filter) as [Column, { eq?: Value; in?: Value[] } | undefined][]) {
    if (!condition) continue;
    const value = row[column];
    if ('eq' in condition && condition.eq !== value) return false;
    if (condition.in && !condition.in.includes(value)) return false;
  }
  return true;
}
