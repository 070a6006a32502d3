/**
 * The client's copy of one table subscription (every matching row; windows are window-state.ts): rows by id, the cursor they are at, and what each frame
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
 * - Transaction frames apply only when synced, all their changes at once, and of those only the ones
 *   whose cursor is after the view's: the others are duplicates (Debezium is at-least-once; a resumed
 *   replay may overlap what the view has). A frame with none left is a duplicate.
 * - Heartbeats do not move the cursor: the client has not applied anything up to theirs.
 * - Every row a snapshot or transaction brings must have the columns of the last `columns` frame,
 *   each value of its column's kind (row-columns.ts); a frame with one that does not is refused whole.
 */
import {
  compareCursors,
  compareRowIds,
  DEFAULT_TABLE,
  type RowId,
  parseCursor,
  type ChangeOp,
  type ColumnInfo,
  type LiveRow,
  type RowChange,
  type TransactionFrame,
  type ResetFrame,
  type ResumedFrame,
  type SubscriptionFilter,
  type SnapshotFrame,
  type SubscribeFrame,
} from '@orders-live/protocol';
import { invalid, type CommonOutcome } from './common-outcome.js';
import { RowColumns } from './row-columns.js';
import { subscribeFrame } from './subscribe-frame.js';

export type TablePhase = 'idle' | 'awaiting-snapshot' | 'loading' | 'resuming' | 'synced';

/** One change of a transaction frame as applied to the view. */
export interface AppliedChange {
  /** insert, update, delete, enter or leave. */
  readonly op: ChangeOp;
  readonly id: RowId;
  /** The row the view now holds; undefined after delete and leave. */
  readonly row: LiveRow | undefined;
  /** The row the view held before; undefined when it had none. */
  readonly previous: LiveRow | undefined;
  /** The change as it came, with its own cursor. */
  readonly change: RowChange;
  /** The cursor of this change. */
  readonly cursor: string;
  readonly txId: number | null;
  /** The change's WAL position (a number; formatLsn prints it as Postgres does); undefined where it has none. */
  readonly lsn: number | undefined;
  /** When Postgres committed the transaction, epoch ms. */
  readonly commitTime: number;
}

/** A transaction frame as applied: its changes that were new to the view, applied at once. */
export interface AppliedTransaction {
  readonly txId: number | null;
  readonly commitTime: number;
  /** The frame's hop times (docs/protocol.md): the Kafka record time and the service's send time. */
  readonly kafkaTime: number;
  readonly sentAt: number;
  readonly cursor: string;
  readonly changes: readonly AppliedChange[];
}

export type TableFrame = SnapshotFrame | TransactionFrame | ResumedFrame | ResetFrame;

export type FrameOutcome =
  /** A chunk of a snapshot that is not complete yet: the view is unchanged. */
  | { readonly kind: 'snapshot-chunk' }
  /** The last chunk arrived: the view was replaced. `rows` in id order. */
  | { readonly kind: 'snapshot'; readonly rows: readonly LiveRow[]; readonly cursor: string }
  | { readonly kind: 'transaction'; readonly transaction: AppliedTransaction }
  | { readonly kind: 'resumed'; readonly from: string; readonly replayed: number }
  | CommonOutcome;

export class TableState {
  readonly #subscriptionId: string;
  readonly #filter: SubscriptionFilter | undefined;
  readonly #table: string;
  readonly #columns = new RowColumns();
  #rows = new Map<RowId, LiveRow>();
  /** Rows in id order, computed on demand and kept until the next change. */
  #sorted: readonly LiveRow[] | undefined;
  #cursor: string | undefined;
  #phase: TablePhase = 'idle';
  /** The snapshot being received, chunk by chunk. */
  #pending: Map<RowId, LiveRow> | undefined;

  constructor(subscriptionId: string, filter?: SubscriptionFilter, table: string = DEFAULT_TABLE) {
    this.#table = table;
    this.#subscriptionId = subscriptionId;
    this.#filter = filter;
  }

  get subscriptionId(): string {
    return this.#subscriptionId;
  }

  get phase(): TablePhase {
    return this.#phase;
  }

  /** The columns of the last columns frame; undefined before the first. */
  get columns(): readonly ColumnInfo[] | undefined {
    return this.#columns.announced;
  }

  /** A columns frame for this subscription: rows from now on have exactly these columns. */
  /** A row's id under the table's key (the last columns frame's; orders' id before one came). */
  idOf(row: LiveRow): RowId {
    return this.#columns.idOf(row);
  }

  setColumns(columns: readonly ColumnInfo[], key: readonly string[]): void {
    this.#columns.set(columns, key);
  }

  /** The cursor of the last snapshot or change applied; undefined before the first snapshot. */
  get cursor(): string | undefined {
    return this.#cursor;
  }

  get size(): number {
    return this.#rows.size;
  }

  get(id: RowId): LiveRow | undefined {
    return this.#rows.get(id);
  }

  /** The rows in row id order (row-id.ts). */
  rows(): readonly LiveRow[] {
    this.#sorted ??= [...this.#rows.entries()].sort(([a], [b]) => compareRowIds(a, b)).map(([, row]) => row);
    return this.#sorted;
  }

  /**
   * The frame to send on each (re)connect. Carries the cursor once a snapshot has been applied, to
   * resume from it; a snapshot that was still arriving is discarded (the server starts over).
   */
  subscribe(): SubscribeFrame {
    this.#pending = undefined;
    this.#phase = this.#cursor === undefined ? 'awaiting-snapshot' : 'resuming';
    return subscribeFrame(this.#subscriptionId, this.#table, this.#filter, undefined, this.#cursor);
  }

  apply(frame: TableFrame): FrameOutcome {
    if (frame.id !== this.#subscriptionId) return { kind: 'ignored', reason: 'other-subscription' };
    if (this.#phase === 'idle') return { kind: 'ignored', reason: 'not-subscribed' };
    switch (frame.type) {
      case 'snapshot':
        return this.#applySnapshot(frame);
      case 'transaction':
        return this.#applyTransaction(frame);
      case 'resumed':
        return this.#applyResumed(frame);
      case 'reset':
        return this.#applyReset(frame);
    }
  }

  #applySnapshot(frame: SnapshotFrame): FrameOutcome {
    if (!parseCursor(frame.cursor)) return invalid(`snapshot: not a cursor: ${frame.cursor}`);
    const misfit = this.#columns.check('snapshot', frame.rows);
    if (misfit) return misfit;
    // Not loading: this is the first chunk (after a subscribe, a reset, or a snapshot the server chose to send).
    const pending = this.#phase === 'loading' && this.#pending ? this.#pending : new Map<RowId, LiveRow>();
    for (const row of frame.rows) pending.set(this.#columns.idOf(row), row);
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

  #applyTransaction(frame: TransactionFrame): FrameOutcome {
    if (!parseCursor(frame.cursor) || frame.changes.some((change) => !parseCursor(change.cursor))) {
      return invalid(`transaction: not a cursor in ${frame.cursor}`);
    }
    if (this.#phase !== 'synced' || this.#cursor === undefined) return { kind: 'ignored', reason: 'not-synced' };
    const viewCursor = this.#cursor;
    const fresh = frame.changes.filter((change) => compareCursors(change.cursor, viewCursor) > 0);
    if (fresh.length === 0) return { kind: 'duplicate', cursor: frame.cursor };
    // Checked whole before any is applied: a transaction applies entirely or not at all.
    let last = viewCursor;
    for (const change of fresh) {
      if (compareCursors(change.cursor, last) <= 0) return invalid(`transaction: cursors not increasing at ${change.cursor}`);
      last = change.cursor;
      const misfit = this.#columns.check(`transaction ${change.cursor}`, [change.row, change.oldRow]);
      if (misfit) return misfit;
      if (change.op === 'delete' || change.op === 'leave') continue;
      if (!change.row) return invalid(`transaction: ${change.op} without a row`);
      const keyId = this.#columns.idOf(change.key);
      if (this.#columns.idOf(change.row) !== keyId) return invalid(`transaction: key ${String(keyId)} does not match its row`);
    }
    const applied = fresh.map((change): AppliedChange => {
      const id = this.#columns.idOf(change.key);
      const removes = change.op === 'delete' || change.op === 'leave';
      const row = removes ? undefined : (change.row ?? undefined);
      const previous = this.#rows.get(id);
      if (row) this.#rows.set(id, row);
      else this.#rows.delete(id);
      return {
        op: change.op,
        id,
        row,
        previous,
        change,
        cursor: change.cursor,
        txId: frame.txId,
        lsn: change.lsn,
        commitTime: frame.commitTime,
      };
    });
    this.#sorted = undefined;
    this.#cursor = last;
    return {
      kind: 'transaction',
      transaction: {
        txId: frame.txId,
        commitTime: frame.commitTime,
        kafkaTime: frame.kafkaTime,
        sentAt: frame.sentAt,
        cursor: last,
        changes: applied,
      },
    };
  }

  #applyResumed(frame: ResumedFrame): FrameOutcome {
    if (this.#phase !== 'resuming' || this.#cursor === undefined) return invalid('resumed: no resume was asked for');
    if (!parseCursor(frame.from) || compareCursors(frame.from, this.#cursor) !== 0) {
      return invalid(`resumed: from ${frame.from}, but the view is at ${this.#cursor}`);
    }
    this.#phase = 'synced';
    return { kind: 'resumed', from: frame.from, replayed: frame.replayed };
  }

  #applyReset(frame: ResetFrame): FrameOutcome {
    if (this.#phase !== 'resuming') return invalid('reset: no resume was asked for');
    this.#phase = 'awaiting-snapshot';
    return { kind: 'reset', cursor: frame.cursor, reason: frame.reason };
  }
}
