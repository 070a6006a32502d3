/**
 * Row filters of a subscription: per column a condition, columns ANDed.
 *   { "status": { "in": ["pending", "shipped"] }, "customer_name": { "prefix": "Ada" } }
 *
 * Conditions: `eq` (one value), `in` (1–MAX_FILTER_VALUES values), a range (`gt` or `gte`, `lt` or
 * `lte`, one bound or both: { "quantity": { "gte": 2, "lt": 10 } }), and on text columns `prefix` and
 * `contains` (case-sensitive, on UTF-16 code units, like the sort order in columns.ts; with
 * `caseInsensitive: true` both sides are lower-cased first, String.prototype.toLowerCase, which
 * depends on no locale: "ada" finds Ada and ADA). Values must
 * have the column's own type; equality and ranges compare through the column's comparator (the sort
 * order's), so "1.5" equals "1.50" and "100.5" is above "100" on a decimal column, and two spellings
 * of one instant are equal on a timestamp column. Null is in no range (though it sorts last). A range
 * that no value can satisfy ({ "gt": 5, "lt": 3 }) is accepted and matches no row, as an `eq` of a
 * value no row has does: a client that builds bounds from two inputs gets an empty view, not an error.
 *
 * rowFilterSchema names the table's original columns (access tokens and the REST API use it);
 * subscriptions use subscriptionFilterSchema, which takes any column name: the server checks each
 * against the table's columns as they are when it subscribes (filterProblem), refusing an unknown
 * column with E_UNKNOWN_COLUMN and a value of the wrong type with E_BAD_FILTER.
 *
 * A filter is a view definition, not a message filter: the server evaluates it on the old and the
 * new row of every change, so a row that starts matching enters the view and one that stops leaves it.
 */
import * as z from 'zod';
import { instantSchema, orderRowSchema } from './orders.js';
import type { LiveRow } from './live-row.js';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';
import {
  TEXT_KINDS,
  columnInfo,
  columnNameSchema,
  comparatorFor,
  instantParts,
  valueSchemaFor,
  type ColumnInfo,
  type ColumnKind,
  type ColumnLookup,
  type ColumnValue,
} from './columns.js';

/** More alternatives than this in one `in` is a query, not a view. */
export const MAX_FILTER_VALUES = 100;
/** Longest `prefix`/`contains` text: longer than any name a person types into a search box. */
export const MAX_FILTER_TEXT_LENGTH = 200;

const columns = orderRowSchema.shape;

/** The bounds a range may have, and which comparisons (row value against bound) each accepts. */
const RANGE_TESTS = {
  gt: (order: number) => order > 0,
  gte: (order: number) => order >= 0,
  lt: (order: number) => order < 0,
  lte: (order: number) => order <= 0,
} as const;
type RangeBound = keyof typeof RANGE_TESTS;
const RANGE_BOUNDS = Object.keys(RANGE_TESTS) as RangeBound[];

/** An instant the comparator can place: instantSchema takes any number of fractional digits, compareInstants nine. */
function placeableInstant(text: string): boolean {
  return !Number.isNaN(instantParts(text)[0]);
}

/** `{gt|gte: v, lt|lte: v}`: at least one bound, at most one per side (gt and gte together say nothing new). */
function range<T extends z.ZodType>(value: T) {
  return z
    .strictObject({ gt: value.optional(), gte: value.optional(), lt: value.optional(), lte: value.optional() })
    .refine((bounds) => RANGE_BOUNDS.some((bound) => bounds[bound] !== undefined), { message: 'a range needs gt, gte, lt or lte' })
    .refine((bounds) => !(bounds.gt !== undefined && bounds.gte !== undefined), { message: 'a range takes gt or gte, not both' })
    .refine((bounds) => !(bounds.lt !== undefined && bounds.lte !== undefined), { message: 'a range takes lt or lte, not both' });
}

/** `{eq: v}`, `{in: [v, …]}` or a range, with v of the column's own type. */
function condition<T extends z.ZodType>(value: T) {
  return z
    .union([z.strictObject({ eq: value }), z.strictObject({ in: z.array(value).min(1).max(MAX_FILTER_VALUES) }), range(value)])
    .optional();
}

/** A timestamp column's condition: as condition(), its range bounds instants the comparator can place. */
function instantCondition(value: typeof instantSchema) {
  return z
    .union([
      z.strictObject({ eq: value }),
      z.strictObject({ in: z.array(value).min(1).max(MAX_FILTER_VALUES) }),
      range(value.refine(placeableInstant, { message: 'at most 9 fractional digits of a second' })),
    ])
    .optional();
}

const searchText = z.string().min(1).max(MAX_FILTER_TEXT_LENGTH);
/** On `prefix`/`contains`: compare lower-cased (absent or false: case-sensitive). */
const caseInsensitive = z.boolean().optional();

/** A text column's condition: eq/in, a range, or `{prefix: s}`, or `{contains: s}`. */
function textCondition<T extends z.ZodType>(value: T) {
  return z
    .union([
      z.strictObject({ eq: value }),
      z.strictObject({ in: z.array(value).min(1).max(MAX_FILTER_VALUES) }),
      range(value),
      z.strictObject({ prefix: searchText, caseInsensitive }),
      z.strictObject({ contains: searchText, caseInsensitive }),
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
  created_at: instantCondition(columns.created_at),
  updated_at: instantCondition(columns.updated_at),
});
export type RowFilter = z.infer<typeof rowFilterSchema>;

/** Most columns one subscription filter may name. */
export const MAX_FILTER_COLUMNS = 32;

const anyBound = z.union([z.string().max(MAX_FILTER_TEXT_LENGTH * 5), z.number(), z.boolean()]);
const anyValue = z.union([anyBound, z.null()]);
const anyCondition = z.union([
  z.strictObject({ eq: anyValue }),
  z.strictObject({ in: z.array(anyValue).min(1).max(MAX_FILTER_VALUES) }),
  range(anyBound),
  z.strictObject({ prefix: searchText, caseInsensitive }),
  z.strictObject({ contains: searchText, caseInsensitive }),
]);

/** A subscription's filter: conditions on any columns, checked against the table's by filterProblem. */
export const subscriptionFilterSchema = z
  .record(columnNameSchema, anyCondition.optional())
  .refine((filter) => Object.keys(filter).length <= MAX_FILTER_COLUMNS, { message: `at most ${MAX_FILTER_COLUMNS} columns` });
export type SubscriptionFilter = z.infer<typeof subscriptionFilterSchema>;

type AnyCondition = {
  eq?: ColumnValue;
  in?: ColumnValue[];
  prefix?: string;
  contains?: string;
  caseInsensitive?: boolean;
} & { [bound in RangeBound]?: ColumnValue };
type AnyFilter = RowFilter | SubscriptionFilter;

/** The schema of a range bound on a column: a non-null value of its type that its comparator can place. */
function boundSchemaFor(column: ColumnInfo): z.ZodType<ColumnValue> {
  const schema = valueSchemaFor(column);
  return column.kind === 'timestamptz' ? schema.refine((value) => placeableInstant(value as string)) : schema;
}

/** What a bound of the kinds people most often get wrong looks like, for the error message. */
const BOUND_HINTS: Partial<Record<ColumnKind, string>> = {
  decimal: ' (a decimal is a string: "100.50")',
  timestamptz: ' (an ISO-8601 instant with an offset, at most 9 fractional digits: "2026-12-07T12:00:00Z")',
};

/** A value as an error message quotes it: its JSON, cut short. */
function quoted(value: unknown): string {
  const MAX_QUOTED_LENGTH = 40; // enough to recognise a value, short enough for one line
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}…` : text;
}

/** undefined when every column the filter names exists and each value fits its column; else why not. */
export function filterProblem(
  filter: AnyFilter | undefined,
  lookup: ColumnLookup,
): { readonly code: ErrorCode; readonly message: string } | undefined {
  if (!filter) return undefined;
  for (const [name, condition] of Object.entries(filter) as [string, AnyCondition | undefined][]) {
    if (!condition) continue;
    const column = lookup(name);
    if (!column) return { code: ERROR_CODES.UNKNOWN_COLUMN, message: `filter: the table has no column "${name}"` };
    if (condition.prefix !== undefined || condition.contains !== undefined) {
      if (!TEXT_KINDS.includes(column.kind))
        return {
          code: ERROR_CODES.BAD_FILTER,
          message: `filter.${name}: prefix and contains apply to text columns only (${name} is ${column.kind})`,
        };
      continue;
    }
    const bounds = RANGE_BOUNDS.filter((bound) => condition[bound] !== undefined);
    if (bounds.length > 0) {
      if (column.kind === 'array') return { code: ERROR_CODES.BAD_FILTER, message: `filter.${name}: array columns cannot be filtered` };
      const schema = boundSchemaFor(column);
      for (const bound of bounds)
        if (!schema.safeParse(condition[bound]).success)
          return {
            code: ERROR_CODES.BAD_FILTER,
            message: `filter.${name}.${bound}: ${quoted(condition[bound])} is not a valid ${column.kind}${BOUND_HINTS[column.kind] ?? ''}`,
          };
      continue;
    }
    const schema = valueSchemaFor(column).nullable();
    const values = 'eq' in condition ? [condition.eq ?? null] : (condition.in ?? []);
    if (column.kind === 'array') return { code: ERROR_CODES.BAD_FILTER, message: `filter.${name}: array columns cannot be filtered` };
    if (values.some((value) => !schema.safeParse(value).success))
      return { code: ERROR_CODES.BAD_FILTER, message: `filter.${name}: a value is not a valid ${column.kind}` };
  }
  return undefined;
}

/**
 * True when the row satisfies every condition of the filter (an empty filter matches every row).
 * Values compare by their column's kind, from `lookup` (the table as created, unless given); a
 * condition on a column the lookup does not know matches no row.
 */
export function matchesFilter(filter: AnyFilter | undefined, row: LiveRow, lookup?: ColumnLookup): boolean {
  return compileFilter(filter, lookup)(row);
}

/**
 * matchesFilter as a predicate, its columns looked up and comparators chosen once: what is checked
 * against every row of a table (an index over a million rows) rather than once.
 */
export function compileFilter(filter: AnyFilter | undefined, lookup?: ColumnLookup): (row: LiveRow) => boolean {
  if (!filter) return () => true;
  const checks: ((row: Record<string, unknown>) => boolean)[] = [];
  for (const [column, condition] of Object.entries(filter) as [string, AnyCondition | undefined][]) {
    if (!condition) continue;
    const info = columnInfo(column, lookup);
    if (!info) return () => false;
    const valueOf = (row: Record<string, unknown>) => (row[column] ?? null) as ColumnValue;
    // Lower-cased once here, each row's value per check.
    const fold = condition.caseInsensitive === true ? (text: string) => text.toLowerCase() : (text: string) => text;
    const prefix = condition.prefix === undefined ? undefined : fold(condition.prefix);
    const contains = condition.contains === undefined ? undefined : fold(condition.contains);
    if (prefix !== undefined) {
      checks.push((row) => {
        const value = valueOf(row);
        return typeof value === 'string' && fold(value).startsWith(prefix);
      });
      continue;
    }
    if (contains !== undefined) {
      checks.push((row) => {
        const value = valueOf(row);
        return typeof value === 'string' && fold(value).includes(contains);
      });
      continue;
    }
    const compare = comparatorFor(info);
    if ('eq' in condition) {
      const wanted = condition.eq ?? null;
      checks.push((row) => compare(wanted, valueOf(row)) === 0);
    }
    const candidates = condition.in;
    if (candidates) checks.push((row) => candidates.some((candidate) => compare(candidate, valueOf(row)) === 0));
    for (const bound of RANGE_BOUNDS) {
      const limit = condition[bound];
      if (limit === undefined) continue;
      const accepts = RANGE_TESTS[bound];
      // Null sorts last, so the comparator alone would put it above every gt: it is in no range.
      checks.push((row) => {
        const value = valueOf(row);
        return value !== null && accepts(compare(value, limit));
      });
    }
  }
  return (row) => {
    const record = row as unknown as Record<string, unknown>;
    for (const check of checks) if (!check(record)) return false;
    return true;
  };
}

/** A canonical text of a filter (keys sorted): equal filters give equal keys, for sharing indexes. */
export function filterKey(filter: AnyFilter | undefined): string {
  if (!filter) return '{}';
  const entries = Object.entries(filter)
    .filter(([, condition]) => condition !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}
