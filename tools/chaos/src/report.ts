/** What a chaos run is asked to do, and what it reports. */
import type { RecoveryReport } from './recovery.js';
import type { Target } from './schedule.js';

export interface ChaosOptions {
  readonly seed: number;
  readonly durationMs: number;
  readonly clients: number;
  /** Logs progress lines (the CLI); tests keep quiet. */
  readonly log?: (line: string) => void;
}

/** The tables a chaos run writes and watches: orders, and its lines in the same transactions. */
export type ChaosTable = 'orders' | 'order_lines';

/** One table's part of a run: its clients, what was committed to it and delivered of it, and its verdict. */
export interface TableFigures {
  /** Clients following the table (windowed clients not included). */
  clients: number;
  committedChanges: number;
  /** Changes the table's clients applied. */
  delivered: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
}

export interface ChaosReport {
  seed: number;
  durationMs: number;
  /** Row changes of orders committed (order_lines' are committedLineChanges). */
  committedChanges: number;
  committedLineChanges: number;
  committedTransactions: number;
  failedTransactions: number;
  longTransactions: number;
  /** Changes the orders clients applied (order_lines': tables.order_lines.delivered). */
  delivered: number;
  /** Window states shown by the windowed clients (a window frame or an applied diff each). */
  windowStates: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  /** The verdict per table; lost, duplicated and outOfOrder above are their sums. */
  tables: Record<ChaosTable, TableFigures>;
  resets: number;
  resumes: number;
  reconnects: number;
  kills: Partial<Record<Target, number>>;
  unplannedRestarts: number;
  clients: number;
  windowClients: number;
  /** Per fault, per episode and per kind: kill → serving again, kill → changes at every client again. */
  recovery: RecoveryReport;
  /** Start of the run → every client holds the fence committed after the last fault. */
  settledMs: number;
  problems: string[];
}
