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
 * A window's "afresh" is the whole window (≤ MAX_WINDOW_LIMIT rows) as of a cursor at or after the
 * client's: a window is state, not a log, so its latest state is exactly what the client lacks.
 */
import {
  ERROR_CODES,
  TABLES,
  isAfter,
  orderRowSchema,
  parseCursor,
  type ErrorCode,
  type OrderColumn,
  type Position,
  type SubscribeFrame,
  type WindowQuery,
} from '@orders-live/protocol';
import type { TableChange } from './view.js';

export interface PlannerInput {
  readonly frame: SubscribeFrame;
  readonly viewPosition: Position;
  /** ring.since: the changes after a position, or undefined when some were evicted. */
  readonly since: (position: Position) => readonly TableChange[] | undefined;
  readonly subscriptionIds: ReadonlySet<string> | { has(id: string): boolean; readonly size: number };
  readonly maxSubscriptions: number;
}

export type SubscribePlan =
  | { readonly action: 'refuse'; readonly code: ErrorCode; readonly message: string }
  | { readonly action: 'snapshot' }
  | { readonly action: 'window' }
  | { readonly action: 'hold'; readonly from: Position }
  | { readonly action: 'replay'; readonly from: Position; readonly changes: readonly TableChange[] }
  | { readonly action: 'reset'; readonly from: Position };

/** undefined when the window's sort keys have the sort column's type; else why not. */
export function windowProblem(query: WindowQuery): string | undefined {
  const column = query.orderBy.column as OrderColumn;
  const valueSchema = orderRowSchema.shape[column].nullable();
  for (const [name, key] of [['after', query.after], ['before', query.before]] as const) {
    if (key !== undefined && !valueSchema.safeParse(key.value).success) return `window.${name}.value is not a valid ${column}`;
  }
  return undefined;
}

export function planSubscribe(input: PlannerInput): SubscribePlan {
  const { frame } = input;
  if (!(TABLES as readonly string[]).includes(frame.table)) {
    return { action: 'refuse', code: ERROR_CODES.UNKNOWN_TABLE, message: `table "${frame.table.slice(0, 64)}" is not streamed; tables: ${TABLES.join(', ')}` };
  }
  if (input.subscriptionIds.has(frame.id)) return { action: 'refuse', code: ERROR_CODES.DUPLICATE_SUBSCRIPTION, message: `subscription "${frame.id}" already exists` };
  if (input.subscriptionIds.size >= input.maxSubscriptions) {
    return { action: 'refuse', code: ERROR_CODES.TOO_MANY_SUBSCRIPTIONS, message: `at most ${input.maxSubscriptions} subscriptions per connection` };
  }
  if (frame.window) {
    const problem = windowProblem(frame.window);
    if (problem) return { action: 'refuse', code: ERROR_CODES.BAD_WINDOW, message: problem };
  }
  if (frame.cursor === undefined) return { action: frame.window ? 'window' : 'snapshot' };
  const from = parseCursor(frame.cursor);
  if (!from) return { action: 'refuse', code: ERROR_CODES.BAD_CURSOR, message: 'cursor was not produced by this service' };
  // The client has seen more than this replica: wait for the view to get there.
  if (isAfter(from, input.viewPosition)) return { action: 'hold', from };
  if (frame.window) return { action: 'window' };
  const changes = input.since(from);
  return changes ? { action: 'replay', from, changes } : { action: 'reset', from };
}
