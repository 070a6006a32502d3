/** How many orders of the view are in each status: counted once per snapshot, then kept up by each change. */
import type { OrderRow, OrderStatus } from '@orders-live/protocol';

export type StatusCounts = Readonly<Record<OrderStatus, number>>;

export const NO_COUNTS: StatusCounts = Object.freeze({ pending: 0, shipped: 0, delivered: 0 });

export function countStatuses(rows: Iterable<OrderRow>): StatusCounts {
  const counts: Record<OrderStatus, number> = { ...NO_COUNTS };
  for (const row of rows) counts[row.status] += 1;
  return counts;
}

/** The counts after one change: `previous` is the row the view held (if any), `row` the one it holds now (if any). */
export function applyToCounts(counts: StatusCounts, previous: OrderRow | undefined, row: OrderRow | undefined): StatusCounts {
  if (previous?.status === row?.status) return counts;
  const next: Record<OrderStatus, number> = { ...counts };
  if (previous) next[previous.status] = Math.max(0, next[previous.status] - 1);
  if (row) next[row.status] += 1;
  return next;
}
