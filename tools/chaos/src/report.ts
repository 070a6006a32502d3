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

export interface ChaosReport {
  seed: number;
  durationMs: number;
  committedChanges: number;
  committedTransactions: number;
  failedTransactions: number;
  longTransactions: number;
  delivered: number;
  /** Window states shown by the windowed clients (a window frame or an applied diff each). */
  windowStates: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
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
