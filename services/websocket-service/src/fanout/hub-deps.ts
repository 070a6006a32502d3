/** What the hub is configured with and what it is given to talk to (the view, ring, windows, metrics, log, clock). */
import type { DegradedReport, Freshness } from '@orders-live/protocol';
import type { Logger } from '../logger.js';
import type { TableView } from '../table/table-view.js';
import type { ChangeRing } from '../stream/ring.js';
import type { Metrics } from '../metrics.js';
import type { WindowRegistry } from '../windows/window-registry.js';
import type { FlushScheduler } from '../edge/flush-scheduler.js';

export interface HubOptions {
  readonly serverId: string;
  readonly snapshotChunkRows: number;
  readonly heartbeatIntervalMs: number;
  /** Unsent bytes a socket may hold (beyond a snapshot in flight) before it is closed as slow. */
  readonly maxBufferedBytes: number;
  readonly maxSubscriptionsPerConnection: number;
  /** How long a subscription whose cursor is ahead of this replica waits before it is reset. */
  readonly resumeHoldTimeoutMs: number;
}

/** One table the hub serves: its view (rows, columns, key), its ring (for resumes) and its windows. */
export interface HubTable {
  /** Its name on the wire ("orders", "customers", "schema.table"). */
  readonly table: string;
  readonly view: TableView;
  readonly ring: ChangeRing;
  readonly windows: WindowRegistry;
  /** The column a window counts by when it names none (welcome's countBy), as of now; null: none. */
  readonly countBy: () => string | null;
  /**
   * Delivers what the table's pipeline holds back (pipeline.ts), so that the view, the indexes and
   * what clients were sent agree before a snapshot or a window is taken from them.
   */
  readonly settle?: () => void;
  /**
   * Whether the replica has caught up with the table's topic as of its start (the change feed's).
   * Until then a new snapshot, window or reset waits; the hub's caughtUp() sends them. Always, when absent.
   */
  readonly caughtUp?: () => boolean;
}

/** What a subscribe runner works with: the hub's shared parts and its one table's. */
export type RunnerDeps = Omit<HubDeps, 'tables' | 'view' | 'ring' | 'windows' | 'settle' | 'caughtUp'> & HubTable;

export interface HubDeps {
  /** The tables served; absent: the one table `orders` of view, ring and windows below (tests of one table). */
  readonly tables?: readonly HubTable[];
  readonly view?: TableView;
  readonly ring?: ChangeRing;
  readonly windows?: WindowRegistry;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Epoch milliseconds, for token expiry and frame budgets; Date.now unless a test says otherwise. */
  readonly now?: () => number;
  /** settle of the one table given by view, ring and windows (HubTable.settle). */
  readonly settle?: () => void;
  /** The stream's degraded report now (degraded-state.ts); null when whole. */
  readonly streamStatus?: () => DegradedReport | null;
  /** caughtUp of the one table given by view, ring and windows (HubTable.caughtUp). */
  readonly caughtUp?: () => boolean;
  /** How fresh the replica is now (freshness.ts): sent at connect and every FRESHNESS_INTERVAL_MS. None when absent. */
  readonly freshness?: () => Freshness;
  /**
   * When frames leave (flush-scheduler.ts): in passes over all connections, coalesced under load.
   * Absent: each connection writes at once while its socket keeps up (connection.ts).
   */
  readonly flushes?: FlushScheduler;
}
