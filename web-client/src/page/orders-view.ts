/**
 * The page's copy of the orders table: a Map by id, built from one subscription's frames.
 * Pure: no DOM, no socket, no clock. `apply` updates the map and says what changed, so the
 * renderer touches only that.
 *
 *   expectSnapshot() ─▶ awaiting ──snapshot, done=false─▶ loading ──snapshot, done=true─▶ synced
 *                          │                                                       ▲
 *                          └──────────────── snapshot, done=true ──────────────────┘
 *
 * The first chunk of a snapshot clears the map; later chunks add to it. Change frames apply only
 * once synced, and only when their cursor is after the last one seen (anything else is a replay).
 */
import {
  compareCursors,
  parseCursor,
  type ChangeFrame,
  type OrderRow,
  type SnapshotFrame,
} from '@orders-live/protocol';

export type OrderColumn = keyof OrderRow;

export type ViewUpdate =
  /** A snapshot chunk: `first` means the map was cleared before these rows were added. */
  | { readonly kind: 'snapshot'; readonly first: boolean; readonly done: boolean; readonly rows: readonly OrderRow[] }
  | { readonly kind: 'insert'; readonly row: OrderRow }
  /** `changed` lists the columns whose value differs from the row the view held. */
  | { readonly kind: 'update'; readonly row: OrderRow; readonly changed: readonly OrderColumn[] }
  | { readonly kind: 'delete'; readonly id: number }
  /** Well-formed, but nothing to do: not ours, before our snapshot, or already seen. */
  | { readonly kind: 'dropped'; readonly reason: 'other-subscription' | 'before-snapshot' | 'stale-cursor' }
  /** Passed the schema but breaks the protocol's rules; counted as an invalid frame. */
  | { readonly kind: 'invalid'; readonly reason: string };

type Phase = 'awaiting' | 'loading' | 'synced';

export class OrdersView {
  readonly #subscriptionId: string;
  readonly #rows = new Map<number, OrderRow>();
  #cursor: string | undefined;
  #phase: Phase = 'awaiting';

  constructor(subscriptionId: string) {
    this.#subscriptionId = subscriptionId;
  }

  get rows(): ReadonlyMap<number, OrderRow> {
    return this.#rows;
  }

  get size(): number {
    return this.#rows.size;
  }

  /** The cursor the view is at: the snapshot's, then each applied change's. */
  get cursor(): string | undefined {
    return this.#cursor;
  }

  /** A (re)subscription was sent: the next snapshot chunk starts a new view. Rows stay until it arrives. */
  expectSnapshot(): void {
    this.#phase = 'awaiting';
  }

  apply(frame: SnapshotFrame | ChangeFrame): ViewUpdate {
    if (frame.id !== this.#subscriptionId) return { kind: 'dropped', reason: 'other-subscription' };
    if (!parseCursor(frame.cursor)) return { kind: 'invalid', reason: `not a cursor: ${frame.cursor}` };
    return frame.type === 'snapshot' ? this.#applySnapshot(frame) : this.#applyChange(frame);
  }

  #applySnapshot(frame: SnapshotFrame): ViewUpdate {
    const first = this.#phase !== 'loading';
    if (first) this.#rows.clear();
    for (const row of frame.rows) this.#rows.set(row.id, row);
    this.#cursor = frame.cursor;
    this.#phase = frame.done ? 'synced' : 'loading';
    return { kind: 'snapshot', first, done: frame.done, rows: frame.rows };
  }

  #applyChange(frame: ChangeFrame): ViewUpdate {
    if (this.#phase !== 'synced' || this.#cursor === undefined) return { kind: 'dropped', reason: 'before-snapshot' };
    if (compareCursors(frame.cursor, this.#cursor) <= 0) return { kind: 'dropped', reason: 'stale-cursor' };

    const id = frame.key.id;
    if (frame.op === 'delete') {
      this.#cursor = frame.cursor;
      this.#rows.delete(id);
      return { kind: 'delete', id };
    }
    const row = frame.row;
    if (!row) return { kind: 'invalid', reason: `${frame.op} without a row` };
    if (row.id !== id) return { kind: 'invalid', reason: `key ${id} does not match row ${row.id}` };

    this.#cursor = frame.cursor;
    const before = this.#rows.get(id);
    this.#rows.set(id, row);
    // Applied by what the view holds, not by `op`: an insert of a known row is an update, and so on.
    if (!before) return { kind: 'insert', row };
    return { kind: 'update', row, changed: changedColumns(before, row) };
  }
}

function changedColumns(before: OrderRow, after: OrderRow): OrderColumn[] {
  return (Object.keys(after) as OrderColumn[]).filter((column) => before[column] !== after[column]);
}
