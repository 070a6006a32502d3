/**
 * The client's copy of one subscription: rows by id, the cursor they are at, and what each frame
 * does to them. No I/O, no clock, no timers: the client feeds it frames and acts on the outcomes.
 * (The row map is updated in place, so a change costs O(1), not a copy of the table.)
 *
 *                  subscribe()                        subscribe()
 *                 (no cursor yet)                    (the view's cursor)
 *   idle ───────────────────────▶ awaiting ◀──reset── resuming ◀──────────── any phase
 *                                 snapshot               │
 *                                    │ chunk             │ resumed {from: the view's cursor}
 *                                    ▼                   │
 *                                 loading                │
 *                                    │ last chunk        │
 *                                    ▼                   │
 *                                 synced ◀───────────────┘
 *
 *   (a snapshot sent in one chunk goes from awaiting straight to synced)
 *
 * - The first snapshot chunk (after a subscribe or a reset) starts an empty pending view; later chunks
 *   add to it; the last one (done) replaces the view and its cursor. Until then the old rows stay.
 * - subscribe() sends the cursor of the last snapshot or change applied, once there is one; the
 *   server answers `resumed` (the changes after it follow) or `reset` (a snapshot follows).
 * - Change frames apply only when synced, and only when their cursor is after the view's: any other is
 *   a duplicate (Debezium is at-least-once; a resumed replay may overlap what the view has).
 * - Heartbeats do not move the cursor: the client has not applied anything up to theirs.
 */
import {
  TABLES,
  compareCursors,
  parseCursor,
  type ChangeFrame,
  type ChangeOp,
  type OrderRow,
  type ResetFrame,
  type ResumedFrame,
  type RowFilter,
  type SnapshotFrame,
  type SubscribeFrame,
} from '@orders-live/protocol';

export type ViewPhase = 'idle' | 'awaiting-snapshot' | 'loading' | 'resuming' | 'synced';

/** One change frame as applied to the view. */
export interface AppliedChange {
  /** The op of the frame: insert, update, delete, enter or leave. */
  readonly op: ChangeOp;
  readonly id: number;
  /** The row the view now holds; undefined after delete and leave. */
  readonly row: OrderRow | undefined;
  /** The row the view held before; undefined when it had none. */
  readonly previous: OrderRow | undefined;
  readonly frame: ChangeFrame;
}

export type ViewFrame = SnapshotFrame | ChangeFrame | ResumedFrame | ResetFrame;

export type FrameOutcome =
  /** A chunk of a snapshot that is not complete yet: the view is unchanged. */
  | { readonly kind: 'snapshot-chunk' }
  /** The last chunk arrived: the view was replaced. `rows` in id order. */
  | { readonly kind: 'snapshot'; readonly rows: readonly OrderRow[]; readonly cursor: string }
  | { readonly kind: 'change'; readonly change: AppliedChange }
  /** A change at or before the view's cursor: already applied, dropped. */
  | { readonly kind: 'duplicate'; readonly cursor: string }
  | { readonly kind: 'resumed'; readonly from: string; readonly replayed: number }
  | { readonly kind: 'reset'; readonly cursor: string; readonly reason: ResetFrame['reason'] }
  /** Well-formed, but not for this view (another subscription) or not expected now (a change before the snapshot). */
  | { readonly kind: 'ignored'; readonly reason: 'other-subscription' | 'not-subscribed' | 'not-synced' }
  /** Passed the schema but breaks the protocol's rules; the view is unchanged. */
  | { readonly kind: 'invalid'; readonly reason: string };

export class ViewState {
  readonly #subscriptionId: string;
  readonly #filter: RowFilter | undefined;
  #rows = new Map<number, OrderRow>();
  /** Rows in id order, computed on demand and kept until the next change. */
  #sorted: readonly OrderRow[] | undefined;
  #cursor: string | undefined;
  #phase: ViewPhase = 'idle';
  /** The snapshot being received, chunk by chunk. */
  #pending: Map<number, OrderRow> | undefined;

  constructor(subscriptionId: string, filter?: RowFilter) {
    this.#subscriptionId = subscriptionId;
    this.#filter = filter;
  }

  get phase(): ViewPhase {
    return this.#phase;
  }

  /** The cursor of the last snapshot or change applied; undefined before the first snapshot. */
  get cursor(): string | undefined {
    return this.#cursor;
  }

  get size(): number {
    return this.#rows.size;
  }

  get(id: number): OrderRow | undefined {
    return this.#rows.get(id);
  }

  /** The rows in id order. */
  rows(): readonly OrderRow[] {
    this.#sorted ??= [...this.#rows.values()].sort((a, b) => a.id - b.id);
    return this.#sorted;
  }

  /**
   * The frame to send on each (re)connect. Carries the cursor once a snapshot has been applied, to
   * resume from it; a snapshot that was still arriving is discarded (the server starts over).
   */
  subscribe(): SubscribeFrame {
    this.#pending = undefined;
    this.#phase = this.#cursor === undefined ? 'awaiting-snapshot' : 'resuming';
    return {
      type: 'subscribe',
      id: this.#subscriptionId,
      table: TABLES[0],
      ...(this.#filter === undefined ? {} : { filter: this.#filter }),
      ...(this.#cursor === undefined ? {} : { cursor: this.#cursor }),
    };
  }

  apply(frame: ViewFrame): FrameOutcome {
    if (frame.id !== this.#subscriptionId) return { kind: 'ignored', reason: 'other-subscription' };
    if (this.#phase === 'idle') return { kind: 'ignored', reason: 'not-subscribed' };
    switch (frame.type) {
      case 'snapshot':
        return this.#applySnapshot(frame);
      case 'change':
        return this.#applyChange(frame);
      case 'resumed':
        return this.#applyResumed(frame);
      case 'reset':
        return this.#applyReset(frame);
    }
  }

  #applySnapshot(frame: SnapshotFrame): FrameOutcome {
    if (!parseCursor(frame.cursor)) return { kind: 'invalid', reason: `snapshot: not a cursor: ${frame.cursor}` };
    // Not loading: this is the first chunk (after a subscribe, a reset, or a snapshot the server chose to send).
    const pending = this.#phase === 'loading' && this.#pending ? this.#pending : new Map<number, OrderRow>();
    for (const row of frame.rows) pending.set(row.id, row);
    if (!frame.done) {
      this.#pending = pending;
      this.#phase = 'loading';
      return { kind: 'snapshot-chunk' };
    }
    this.#pending = undefined;
    this.#rows = pending;
    this.#sorted = undefined;
    // May be before the old cursor (a replica behind ours answered with a reset): the view is then
    // older but whole, and the changes after this cursor follow.
    this.#cursor = frame.cursor;
    this.#phase = 'synced';
    return { kind: 'snapshot', rows: this.rows(), cursor: frame.cursor };
  }

  #applyChange(frame: ChangeFrame): FrameOutcome {
    if (!parseCursor(frame.cursor)) return { kind: 'invalid', reason: `change: not a cursor: ${frame.cursor}` };
    if (this.#phase !== 'synced' || this.#cursor === undefined) return { kind: 'ignored', reason: 'not-synced' };
    if (compareCursors(frame.cursor, this.#cursor) <= 0) return { kind: 'duplicate', cursor: frame.cursor };

    const id = frame.key.id;
    const removes = frame.op === 'delete' || frame.op === 'leave';
    const row = removes ? undefined : (frame.row ?? undefined);
    if (!removes) {
      if (!row) return { kind: 'invalid', reason: `change: ${frame.op} without a row` };
      if (row.id !== id) return { kind: 'invalid', reason: `change: key ${id} does not match row ${row.id}` };
    }

    const previous = this.#rows.get(id);
    if (row) this.#rows.set(id, row);
    else this.#rows.delete(id);
    this.#sorted = undefined;
    this.#cursor = frame.cursor;
    return { kind: 'change', change: { op: frame.op, id, row, previous, frame } };
  }

  #applyResumed(frame: ResumedFrame): FrameOutcome {
    if (this.#phase !== 'resuming' || this.#cursor === undefined) return { kind: 'invalid', reason: 'resumed: no resume was asked for' };
    if (!parseCursor(frame.from) || compareCursors(frame.from, this.#cursor) !== 0) {
      return { kind: 'invalid', reason: `resumed: from ${frame.from}, but the view is at ${this.#cursor}` };
    }
    this.#phase = 'synced';
    return { kind: 'resumed', from: frame.from, replayed: frame.replayed };
  }

  #applyReset(frame: ResetFrame): FrameOutcome {
    if (this.#phase !== 'resuming') return { kind: 'invalid', reason: 'reset: no resume was asked for' };
    this.#phase = 'awaiting-snapshot';
    return { kind: 'reset', cursor: frame.cursor, reason: frame.reason };
  }
}
