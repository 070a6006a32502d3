/**
 * The client's copy of one window (a live windowed query): its rows in the window's order, offset,
 * total, counts per status, and the cursor they are as of. Pure, like table-state.ts.
 *
 *               subscribe()                    window frame
 *   idle ────────────────────▶ awaiting ───────────────────────▶ synced ──┐ diff (cursor after ours):
 *                                 ▲  ▲                             │ ▲    │ apply its ops at once
 *                                 │  └──────── subscribe() ────────┘ └────┘
 *                                 └── reset (a held resume timed out; a window follows)
 *
 * - subscribe() carries the window's query, and the cursor once there is one: the server then waits
 *   until it is at least there and sends the window afresh (a window is state: its latest is exactly
 *   what a client that was away lacks). Changing the query (paging) is a new subscription id.
 * - A diff applies only when synced and its cursor is after ours (else a duplicate); its ops apply
 *   all at once or, when they do not fit the rows (never, from a correct server), not at all: the
 *   outcome is invalid and the client re-subscribes.
 * - Every row a window or diff brings must have the columns of the last `columns` frame, each value
 *   of its column's kind (row-columns.ts); a frame with one that does not is refused whole.
 */
import {
  applyWindowOps,
  compareCursors,
  DEFAULT_TABLE,
  type RowId,
  parseCursor,
  type ColumnInfo,
  type DiffFrame,
  type LiveRow,
  type ResetFrame,
  type SubscriptionFilter,
  type SubscribeFrame,
  type TransactionSummary,
  type WindowFrame,
  type WindowOp,
  type WindowQuery,
} from '@orders-live/protocol';
import { invalid, type CommonOutcome } from './common-outcome.js';
import { RowColumns } from './row-columns.js';
import { subscribeFrame } from './subscribe-frame.js';

export type WindowPhase = 'idle' | 'awaiting-window' | 'synced';

export interface WindowSnapshot {
  readonly rows: readonly LiveRow[];
  /** Rank of the first row in the window's order among all `total` matching rows. */
  readonly offset: number;
  readonly total: number;
  readonly counts: Readonly<Record<string, number>>;
  readonly cursor: string;
}

export type WindowFrameIn = WindowFrame | DiffFrame | ResetFrame;

export type WindowOutcome =
  /** The whole window arrived (after a subscribe, a resume or a reset). */
  | { readonly kind: 'window'; readonly window: WindowSnapshot }
  /** A transaction altered the window: `ops` turned the old rows into the new ones. */
  | {
      readonly kind: 'diff';
      readonly window: WindowSnapshot;
      readonly ops: readonly WindowOp[];
      readonly txId: number | null;
      readonly commitTime: number;
      readonly kafkaTime: number;
      readonly sentAt: number;
      readonly summary: TransactionSummary | undefined;
    }
  | CommonOutcome;

/** The rows a window's ops bring (a leave brings none). */
function opRows(ops: readonly WindowOp[]): LiveRow[] {
  return ops.flatMap((op) => (op.op === 'leave' ? [] : [op.row]));
}

export class WindowState {
  readonly #baseId: string;
  readonly #filter: SubscriptionFilter | undefined;
  readonly #table: string;
  #query: WindowQuery;
  #generation = 0;
  #phase: WindowPhase = 'idle';
  #window: WindowSnapshot | undefined;
  /** The columns of the current subscription (a new query starts from the last known ones). */
  readonly #columns = new RowColumns();

  constructor(subscriptionId: string, query: WindowQuery, filter?: SubscriptionFilter, table: string = DEFAULT_TABLE) {
    this.#table = table;
    this.#baseId = subscriptionId;
    this.#query = query;
    this.#filter = filter;
  }

  /** The id of the current subscription: the base id, then `<base>.<n>` after each change of query. */
  get subscriptionId(): string {
    return this.#generation === 0 ? this.#baseId : `${this.#baseId}.${this.#generation}`;
  }

  get phase(): WindowPhase {
    return this.#phase;
  }

  get query(): WindowQuery {
    return this.#query;
  }

  get window(): WindowSnapshot | undefined {
    return this.#window;
  }

  get cursor(): string | undefined {
    return this.#window?.cursor;
  }

  /** The columns of the last columns frame; undefined before the first. */
  get columns(): readonly ColumnInfo[] | undefined {
    return this.#columns.announced;
  }

  /** A columns frame for the current subscription: rows from now on have exactly these columns. */
  /** A row's id under the table's key (the last columns frame's; orders' id before one came). */
  idOf(row: LiveRow): RowId {
    return this.#columns.idOf(row);
  }

  setColumns(columns: readonly ColumnInfo[], key: readonly string[]): void {
    this.#columns.set(columns, key);
  }

  /** A new query (the next page, another sort): returns the id to unsubscribe; call subscribe() next. */
  setQuery(query: WindowQuery): string {
    const old = this.subscriptionId;
    this.#query = query;
    this.#generation += 1;
    this.#phase = 'idle';
    return old;
  }

  subscribe(): SubscribeFrame {
    this.#phase = 'awaiting-window';
    return subscribeFrame(this.subscriptionId, this.#table, this.#filter, this.#query, this.#window?.cursor);
  }

  apply(frame: WindowFrameIn): WindowOutcome {
    if (frame.id !== this.subscriptionId) return { kind: 'ignored', reason: 'other-subscription' };
    if (this.#phase === 'idle') return { kind: 'ignored', reason: 'not-subscribed' };
    if (!parseCursor(frame.cursor)) return invalid(`${frame.type}: not a cursor: ${frame.cursor}`);
    switch (frame.type) {
      case 'window': {
        const misfit = this.#columns.check('window', frame.rows);
        if (misfit) return misfit;
        this.#window = { rows: frame.rows, offset: frame.offset, total: frame.total, counts: frame.counts, cursor: frame.cursor };
        this.#phase = 'synced';
        return { kind: 'window', window: this.#window };
      }
      case 'diff': {
        const current = this.#window;
        if (this.#phase !== 'synced' || !current) return { kind: 'ignored', reason: 'not-synced' };
        if (compareCursors(frame.cursor, current.cursor) <= 0) return { kind: 'duplicate', cursor: frame.cursor };
        const misfit = this.#columns.check(`diff ${frame.cursor}`, opRows(frame.ops));
        if (misfit) return misfit;
        const rows = applyWindowOps(current.rows, frame.ops, (row) => this.#columns.idOf(row));
        if (rows instanceof Error) return invalid(`diff: ${rows.message}`);
        this.#window = { rows, offset: frame.offset, total: frame.total, counts: frame.counts, cursor: frame.cursor };
        return {
          kind: 'diff',
          window: this.#window,
          ops: frame.ops,
          txId: frame.txId,
          commitTime: frame.commitTime,
          kafkaTime: frame.kafkaTime,
          sentAt: frame.sentAt,
          summary: frame.summary,
        };
      }
      case 'reset':
        this.#phase = 'awaiting-window';
        return { kind: 'reset', cursor: frame.cursor, reason: frame.reason };
    }
  }
}
