/**
 * One line of the activity log per change shown: what happened to which order, and how long it took
 * from the commit in Postgres to the screen. Pure: the time it was shown is passed in.
 */
import type { AppliedChange } from '@orders-live/client';
import type { ChangeOp, OrderRow } from '@orders-live/protocol';

/** The log keeps the newest 200 entries: enough to look back a few minutes, bounded for a page left open all day. */
export const MAX_ACTIVITY_ENTRIES = 200;

export interface ActivityEntry {
  readonly op: ChangeOp;
  readonly id: number;
  readonly customer: string;
  /** What changed, in a few words ("status pending → shipped", "2 × Pen · 45.75"). */
  readonly summary: string;
  /** Epoch ms of the commit in Postgres. */
  readonly commitTime: number;
  /** Epoch ms it was put on screen. */
  readonly shownAt: number;
  readonly latencyMs: number;
}

/** Columns the database stamps on every update: news to nobody. */
const QUIET_COLUMNS: ReadonlySet<string> = new Set(['updated_at']);

export function activityEntry(change: AppliedChange, shownAt: number): ActivityEntry {
  const wire = change.change;
  const row = change.row ?? wire.row ?? undefined;
  const before = change.previous ?? wire.oldRow ?? undefined;
  const any = row ?? before;
  return {
    op: wire.op,
    id: change.id,
    customer: any?.customer_name ?? '',
    summary: summarize(wire.op, before, row, wire.changed),
    commitTime: change.commitTime,
    shownAt,
    // Not clamped: a negative value is news too (the browser's clock is behind the database's).
    latencyMs: shownAt - change.commitTime,
  };
}

function summarize(op: ChangeOp, before: OrderRow | undefined, after: OrderRow | undefined, changed: readonly string[]): string {
  switch (op) {
    case 'insert':
      return after ? describeOrder(after) : '';
    case 'delete':
      return before ? describeOrder(before) : '';
    case 'update':
      return describeChanges(before, after, changed) || 'no visible change';
    case 'enter':
      return `now in view · ${describeChanges(before, after, changed) || (after ? describeOrder(after) : '')}`;
    case 'leave':
      return `left the view · ${describeChanges(before, after, changed) || (after ? describeOrder(after) : '')}`;
  }
}

function describeOrder(row: OrderRow): string {
  return `${row.quantity} × ${row.product_name} · ${row.amount} · ${row.status}`;
}

function describeChanges(before: OrderRow | undefined, after: OrderRow | undefined, changed: readonly string[]): string {
  if (!before || !after) return '';
  return changed
    .filter((column): column is keyof OrderRow => column in after && !QUIET_COLUMNS.has(column))
    .map((column) => `${column} ${String(before[column])} → ${String(after[column])}`)
    .join(', ');
}
