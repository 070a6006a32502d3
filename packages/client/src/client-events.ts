/** What an OrdersLiveClient tells its listeners, and the counts it keeps. */
import type {
  ColumnInfo,
  DegradedReport,
  ErrorFrame,
  LiveRow,
  ResetFrame,
  TransactionSummary,
  WelcomeFrame,
  WindowOp,
} from '@orders-live/protocol';
import type { HeardFreshness } from './freshness.js';
import type { ColumnsChange } from './columns-change.js';
import type { InvalidFrameCode } from './common-outcome.js';
import type { ConnectionState } from './connection-state.js';
import type { AppliedChange, AppliedTransaction } from './table-state.js';
import type { WindowSnapshot } from './window-state.js';

export interface ClientStats {
  /** Row changes applied to the view (table subscription). */
  readonly changesApplied: number;
  /** Transaction frames applied to the view (table), or diff frames applied to the window. */
  readonly transactionsApplied: number;
  /** Frames dropped because their cursor was not after the view's. */
  readonly duplicatesDropped: number;
  /** Reconnects answered with `resumed` (the view was kept). */
  readonly resumes: number;
  /** Reconnects answered with `reset` (a fresh snapshot replaced the view). */
  readonly resets: number;
  /** Messages that were not a valid frame, or broke the protocol's rules. */
  readonly invalidFrames: number;
  /** Sockets opened after the first one. */
  readonly reconnects: number;
}

export type MutableStats = { -readonly [K in keyof ClientStats]: ClientStats[K] };

export function zeroStats(): MutableStats {
  return { changesApplied: 0, transactionsApplied: 0, duplicatesDropped: 0, resumes: 0, resets: 0, invalidFrames: 0, reconnects: 0 };
}

export interface InvalidFrameEvent {
  /** Stable: what kind of breach (common-outcome.ts lists them). */
  readonly code: InvalidFrameCode;
  readonly reason: string;
  /** The message as received. */
  readonly data: unknown;
}

/**
 * The window's new state (window subscription): whole (`ops` and the rest undefined), or after a diff:
 * its steps (each with the `lsn` of the change that made it, where a change did), the transaction's
 * id, and its hop times (docs/protocol.md), epoch ms.
 */
export type WindowEvent = WindowSnapshot & {
  readonly ops: readonly WindowOp[] | undefined;
  readonly txId: number | null | undefined;
  readonly commitTime: number | undefined;
  readonly kafkaTime: number | undefined;
  readonly sentAt: number | undefined;
  /** The whole transaction's inserts, updates and deletes of rows matching the filter (diff frames that carry it). */
  readonly summary: TransactionSummary | undefined;
};

/** The table's columns (columns event): all of them in table order, and how they differ from the last ones. */
export interface ColumnsEvent {
  readonly columns: readonly ColumnInfo[];
  /** The table's primary-key columns, in key order (a row's id: rowIdOf(key, row)). */
  readonly key: readonly string[];
  /** Empty on the first columns frame of the client. */
  readonly change: ColumnsChange;
  readonly cursor: string;
}

export interface ClientEvents {
  state: ConnectionState;
  /** The whole view was replaced (a snapshot completed): its rows in id order. */
  snapshot: { readonly rows: readonly LiveRow[]; readonly cursor: string };
  /** One row change of a transaction (table subscription); `transaction` follows once for all of them. */
  change: AppliedChange;
  /** A transaction frame applied at once (table subscription). */
  transaction: AppliedTransaction;
  window: WindowEvent;
  resumed: { readonly from: string; readonly replayed: number };
  reset: { readonly cursor: string; readonly reason: ResetFrame['reason'] };
  'server-error': ErrorFrame;
  /** A message refused: not a frame, or against the protocol (then the client subscribes afresh). */
  'invalid-frame': InvalidFrameEvent;
  /** A server greeted this connection (which replica, and its latest cursor). */
  welcome: WelcomeFrame;
  /**
   * The table's columns (at subscribe, and after a schema change: then the rows follow afresh in the
   * new shape, as a snapshot or window event). Rows after it have exactly these columns, each value of
   * its column's kind: the client refuses a frame whose rows do not (E_CLIENT_ROW_COLUMNS, E_CLIENT_VALUE_KIND).
   */
  columns: ColumnsEvent;
  /** Whether the server's stream is whole (at connect and on change); `degraded` null: all is well. */
  'stream-status': { readonly degraded: DegradedReport | null };
  /** How fresh the server's stream is (at connect, then every second; freshness.ts). */
  freshness: HeardFreshness;
}
