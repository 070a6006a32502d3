/**
 * Row filters of a subscription: per column a condition, columns ANDed.
 *   { "status": { "in": ["pending", "shipped"] }, "customer_name": { "prefix": "Ada" } }
 *
 * Conditions: `eq` (one value), `in` (1–MAX_FILTER_VALUES values), and on text columns `prefix` and
 * `contains` (case-sensitive, on UTF-16 code units, like the sort order in columns.ts). Values must
 * have the column's own type; equality compares through the column's comparator, so "1.5" equals
 * "1.50" on a decimal column and two spellings of one instant are equal on a timestamp column.
 *
 * A filter is a view definition, not a message filter: the server evaluates it on the old and the
 * new row of every change, so a row that starts matching enters the view and one that stops leaves it.
 */
import * as z from 'zod';
import { orderRowSchema, type OrderRow } from './orders.js';
import { columnInfo, comparatorFor, type ColumnValue } from './columns.js';

/** More alternatives than this in one `in` is a query, not a view. */
export const MAX_FILTER_VALUES = 100;
/** Longest `prefix`/`contains` text: longer than any name a person types into a search box. */
export const MAX_FILTER_TEXT_LENGTH = 200;

const columns = orderRowSchema.shape;

/** `{eq: v}` or `{in: [v, …]}`, with v of the column's own type. */
function condition<T extends z.ZodType>(value: T) {
  return z.union([z.strictObject({ eq: value }), z.strictObject({ in: z.array(value).min(1).max(MAX_FILTER_VALUES) })]).optional();
}

const searchText = z.string().min(1).max(MAX_FILTER_TEXT_LENGTH);

/** A text column's condition: eq/in, or `{prefix: s}`, or `{contains: s}`. */
function textCondition<T extends z.ZodType>(value: T) {
  return z
    .union([
      z.strictObject({ eq: value }),
      z.strictObject({ in: z.array(value).min(1).max(MAX_FILTER_VALUES) }),
      z.strictObject({ prefix: searchText }),
      z.strictObject({ contains: searchText }),
    ])
    .optional();
}

export const rowFilterSchema = z.strictObject({
  id: condition(columns.id),
  customer_name: textCondition(columns.customer_name),
  product_name: textCondition(columns.product_name),
  status: condition(columns.status),
  quantity: condition(columns.quantity),
  amount: condition(columns.amount),
  created_at: condition(columns.created_at),
  updated_at: condition(columns.updated_at),
});
export type RowFilter = z.infer<typeof rowFilterSchema>;

type AnyCondition = { eq?: ColumnValue; in?: ColumnValue[]; prefix?: string; contains?: string };

/** True when the row satisfies every condition of the filter (an empty filter matches every row). */
export function matchesFilter(filter: RowFilter | undefined, row: OrderRow): boolean {
  if (!filter) return true;
  for (const [column, condition] of Object.entries(filter) as [keyof OrderRow, AnyCondition | undefined][]) {
    if (!condition) continue;
    const value = row[column] as ColumnValue;
    if (condition.prefix !== undefined) {
      if (typeof value !== 'string' || !value.startsWith(condition.prefix)) return false;
      continue;
    }
    if (condition.contains !== undefined) {
      if (typeof value !== 'string' || !value.includes(condition.contains)) return false;
      continue;
    }
    const compare = comparatorFor(columnInfo(column)!);
    if ('eq' in condition && compare(condition.eq ?? null, value) !== 0) return false;
    if (condition.in && !condition.in.some((candidate) => compare(candidate, value) === 0)) return false;
  }
  return true;
}

/** A canonical text of a filter (keys sorted): equal filters give equal keys, for sharing indexes. */
export function filterKey(filter: RowFilter | undefined): string {
  if (!filter) return '{}';
  const entries = Object.entries(filter)
    .filter(([, condition]) => condition !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}
