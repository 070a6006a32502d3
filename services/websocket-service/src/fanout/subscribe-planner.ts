/**
 * What to do with a subscribe frame. Pure: the view's position, what the ring holds and the
 * connection's subscriptions go in; a plan comes out, which the hub carries out in the same
 * synchronous step (so nothing falls between a snapshot and the changes after it).
 *
 *   no cursor                         table: snapshot as of the view    window: the window as of the view
 *   cursor ahead of the view          hold until the view reaches it (or reset after a timeout)
 *   cursor in the ring                table: resumed + the changes after it   window: the window afresh
 *   cursor older than the ring keeps  table: reset + snapshot               window: the window afresh
 *
 * Columns: a filter or orderBy naming a column the table does not have (as the view holds it now) is
 * refused with E_UNKNOWN_COLUMN, a value of the wrong kind with E_BAD_FILTER / E_BAD_WINDOW. A resume
 * from a cursor older than the last schema change is a reset: the client's rows have the old shape.
 *
 * A window's "afresh" is the whole window (≤ MAX_WINDOW_LIMIT rows) as of a cursor at or after the
 * client's: a window is state, not a log, so its latest state is exactly what the client lacks.
 */
import {
  ERROR_CODES,
  filterProblem,
  isAfter,
  parseCursor,
  sortable,
  valueSchemaFor,
  type ColumnLookup,
  type ErrorCode,
  type Position,
  type SubscribeFrame,
  type WindowQuery,
} from '@orders-live/protocol';
import type { TableChange } from '../table/table-view.js';

export interface PlannerInput {
  readonly frame: SubscribeFrame;
  readonly viewPosition: Position;
  /** ring.since: the changes after a position, or undefined when some were evicted. */
  readonly since: (position: Position) => readonly TableChange[] | undefined;
  readonly subscriptionIds: ReadonlySet<string> | { has(id: string): boolean; readonly size: number };
  readonly maxSubscriptions: number;
  /** The table's columns as the view holds them now. */
  readonly columns: ColumnLookup;
  /** Position of the record that brought those columns (ORIGIN when they never changed). */
  readonly columnsSince: Position;
}

export type SubscribePlan =
  | { readonly action: 'refuse'; readonly code: ErrorCode; readonly message: string }
  | { readonly action: 'snapshot' }
  | { readonly action: 'window' }
  | { readonly action: 'hold'; readonly from: Position }
  | { readonly action: 'replay'; readonly from: Position; readonly changes: readonly TableChange[] }
  | { readonly action: 'reset'; readonly from: Position; readonly reason: 'cursor-too-old' | 'columns-changed' };

/** Kinds a window may count by: few distinct values is the column's nature (MAX_COUNT_VALUES bounds the rest). */
const COUNTABLE_KINDS: ReadonlySet<string> = new Set(['enum', 'boolean', 'text', 'int']);

/** undefined when the window sorts by a column the table has and its sort keys fit it; else why not. */
export function windowProblem(
  query: WindowQuery,
  columns: ColumnLookup,
): { readonly code: ErrorCode; readonly message: string } | undefined {
  const name = query.orderBy.column;
  const column = columns(name);
  if (!column) return { code: ERROR_CODES.UNKNOWN_COLUMN, message: `window.orderBy: the table has no column "${name}"` };
  if (!sortable(column))
    return { code: ERROR_CODES.BAD_WINDOW, message: `window.orderBy: ${name} is an ${column.kind} column, which cannot be sorted` };
  const valueSchema = valueSchemaFor(column).nullable();
  for (const [at, key] of [
    ['after', query.after],
    ['before', query.before],
  ] as const) {
    if (key !== undefined && !valueSchema.safeParse(key.value).success)
      return { code: ERROR_CODES.BAD_WINDOW, message: `window.${at}.value is not a valid ${name} (${column.kind})` };
  }
  if (query.countBy !== undefined) {
    const counted = columns(query.countBy);
    if (!counted) return { code: ERROR_CODES.UNKNOWN_COLUMN, message: `window.countBy: the table has no column "${query.countBy}"` };
    if (!COUNTABLE_KINDS.has(counted.kind))
      return {
        code: ERROR_CODES.BAD_WINDOW,
        message: `window.countBy: ${query.countBy} is an ${counted.kind} column; counts are by an enum, boolean, text or int column`,
      };
  }
  return undefined;
}

/** undefined when the subscription's filter and window fit the table's columns; else the refusal. */
export function columnsProblem(
  frame: Pick<SubscribeFrame, 'filter' | 'window'>,
  columns: ColumnLookup,
): { readonly code: ErrorCode; readonly message: string } | undefined {
  return filterProblem(frame.filter, columns) ?? (frame.window ? windowProblem(frame.window, columns) : undefined);
}

export function planSubscribe(input: PlannerInput): SubscribePlan {
  const { frame } = input;
  if (input.subscriptionIds.has(frame.id))
    return { action: 'refuse', code: ERROR_CODES.DUPLICATE_SUBSCRIPTION, message: `subscription "${frame.id}" already exists` };
  if (input.subscriptionIds.size >= input.maxSubscriptions) {
    return {
      action: 'refuse',
      code: ERROR_CODES.TOO_MANY_SUBSCRIPTIONS,
      message: `at most ${input.maxSubscriptions} subscriptions per connection`,
    };
  }
  const problem = columnsProblem(frame, input.columns);
  if (problem) return { action: 'refuse', ...problem };
  if (frame.cursor === undefined) return { action: frame.window ? 'window' : 'snapshot' };
  const from = parseCursor(frame.cursor);
  if (!from) return { action: 'refuse', code: ERROR_CODES.BAD_CURSOR, message: 'cursor was not produced by this service' };
  // The client has seen more than this replica: wait for the view to get there.
  if (isAfter(from, input.viewPosition)) return { action: 'hold', from };
  if (frame.window) return { action: 'window' };
  if (isAfter(input.columnsSince, from)) return { action: 'reset', from, reason: 'columns-changed' };
  const changes = input.since(from);
  return changes ? { action: 'replay', from, changes } : { action: 'reset', from, reason: 'cursor-too-old' };
}
