/**
 * The registry of connections and their subscriptions, and the broadcast of each fetch's
 * transactions to them. Sockets are Connection's business (connection.ts), what to do with a
 * subscribe is the planner's (subscribe-planner.ts) and carrying it out the runner's
 * (subscribe-runner.ts), where each subscription is in its lifecycle (waiting, held, live, ended)
 * and what each event makes of it subscription-state.ts's, the frames a broadcast sends
 * broadcast-frames.ts's, windows the WindowRegistry's; this module routes: it feeds each
 * subscription's state machine the broadcasts, the catching up and the column changes.
 *
 * Every subscription is positioned: `after` is the log position the subscriber has everything up
 * to. A table subscription gets each transaction's changes after it (one frame per transaction); a
 * window subscription gets a diff frame per transaction that altered its window. Subscribing and
 * broadcasting each run in one synchronous step, so nothing falls between a snapshot (or a window's
 * first state) and the frames that follow it.
 *
 * Each frame is serialised once per distinct subscription — same id and same filters (table), or
 * same id and same window — and the same bytes go to every socket that shares it.
 *
 * Access: a connection's token grants tables (ConnectionAccess; the runner refuses another with
 * E_TABLE_NOT_GRANTED), and the filter it pins on a table is ANDed with every subscription's own,
 * for snapshots, windows, resumes and live frames alike.
 *
 * Columns: every subscription gets a `columns` frame before its first snapshot or window, and, when
 * the table's columns change (columnsChanged, called by the view's catalog while the view stands
 * right after the DDL, every change before it delivered), the new columns and every row afresh: a
 * snapshot or the window, in the new shape, as of that point. A subscription whose filter or orderBy
 * names a column that is gone ends with an E_UNKNOWN_COLUMN error. Windows' indexes are rebuilt
 * (the rows were replaced by migrated ones, and a column's kind may have changed).
 *
 * Stream status: every connection gets a `stream-status` frame after welcome and whenever the
 * degraded report changes (streamStatusChanged).
 *
 * Tables: the hub serves several tables (HubTable: a view, ring and windows each), a subscribe runner
 * per table. Welcome lists them; a subscribe names one (E_UNKNOWN_TABLE otherwise); broadcasts,
 * column changes and catching up are per table and reach only that table's subscriptions.
 *
 * Versions: a socket opened without the subprotocol PROTOCOL_SUBPROTOCOL (a v1 or unversioned
 * client) gets one error frame E_UNSUPPORTED_PROTOCOL and is closed with CLOSE_CODES.UNSUPPORTED_PROTOCOL.
 */
import type { WebSocket } from 'ws';
import {
  CLOSE_CODES,
  DEFAULT_TABLE,
  ERROR_CODES,
  filterProblem,
  PROTOCOL_SUBPROTOCOL,
  PROTOCOL_VERSION,
  FRESHNESS_INTERVAL_MS,
  type DegradedReport,
  type FreshnessFrame,
  type ErrorFrame,
  type StreamStatusFrame,
  type HeartbeatFrame,
  type Position,
  type WelcomeFrame,
} from '@orders-live/protocol';
import { parseClientFrame } from './client-frames.js';
import { OPEN_ACCESS, type ConnectionAccess } from '../edge/access.js';
import { Connection } from '../edge/connection.js';
import { columnsProblem } from './subscribe-planner.js';
import { subscriberFilter } from './subscriber-filter.js';
import { sendTable, sendWindow, type FrameCache } from './broadcast-frames.js';
import type { DeliveredTransaction, HubConnection, Subscription, WindowSubscription } from './hub-subscriptions.js';
import type { HubDeps, HubOptions, HubTable } from './hub-deps.js';
import { SubscribeRunner } from './subscribe-runner.js';
import { transition, type SubscriptionEvent } from './subscription-state.js';

export { OPEN_ACCESS, type ConnectionAccess } from '../edge/access.js';
export type { DeliveredTransaction } from './hub-subscriptions.js';
export type { HubDeps, HubOptions, HubTable } from './hub-deps.js';

const CAUGHT_UP = { type: 'caught-up' } as const;
const UNSUBSCRIBED = { type: 'unsubscribed' } as const;
const COLUMNS_CHANGED = { type: 'columns-changed', problem: undefined } as const;

export class Hub {
  readonly #connections = new Set<HubConnection>();
  readonly #deps: HubDeps;
  readonly #options: HubOptions;
  #timer: NodeJS.Timeout | undefined;
  #freshnessTimer: NodeJS.Timeout | undefined;
  /** A runner per table served, by name, in the order they were added. */
  readonly #runners = new Map<string, SubscribeRunner>();

  constructor(deps: HubDeps, options: HubOptions) {
    this.#deps = deps;
    this.#options = options;
    const { view, ring, windows } = deps;
    const tables =
      deps.tables ??
      (view && ring && windows
        ? [
            {
              table: DEFAULT_TABLE,
              view,
              ring,
              windows,
              countBy: () => 'status',
              ...(deps.settle ? { settle: deps.settle } : {}),
              ...(deps.caughtUp ? { caughtUp: deps.caughtUp } : {}),
            },
          ]
        : []);
    for (const table of tables) this.addTable(table);
  }

  /** Serves one more table (a table added to a running system): welcome lists it from now on. */
  addTable(table: HubTable): void {
    const { tables: _tables, view: _view, ring: _ring, windows: _windows, settle: _settle, caughtUp: _caughtUp, ...shared } = this.#deps;
    this.#runners.set(table.table, new SubscribeRunner({ ...shared, ...table }, this.#options));
  }

  /**
   * Stops serving a table (removed from the tables list): each of its subscriptions ends with an
   * E_UNKNOWN_TABLE error, and welcome lists it no more.
   */
  removeTable(table: string): void {
    const runner = this.#runners.get(table);
    if (!runner) return;
    for (const connection of this.#connections) {
      for (const subscription of [...connection.subscriptions.values()]) {
        if (subscription.table !== table) continue;
        connection.sendError(ERROR_CODES.UNKNOWN_TABLE, `table "${table}" is no longer streamed`, subscription.id);
        runner.step(connection, subscription, UNSUBSCRIBED);
      }
    }
    this.#runners.delete(table);
  }

  /** The names of the tables served. */
  get tables(): string[] {
    return [...this.#runners.keys()];
  }

  #runner(table: string): SubscribeRunner {
    const runner = this.#runners.get(table);
    if (!runner) throw new Error(`the hub serves no table "${table}"`);
    return runner;
  }

  #now(): number {
    return (this.#deps.now ?? Date.now)();
  }

  #streamStatusFrame(report: DegradedReport | null): Buffer {
    const frame: StreamStatusFrame = { type: 'stream-status', degraded: report };
    return Buffer.from(JSON.stringify(frame));
  }

  /** The degraded report changed: every connection hears of it. */
  streamStatusChanged(report: DegradedReport | null): void {
    const frame = this.#streamStatusFrame(report);
    for (const connection of this.#connections) connection.sendBurst(frame);
  }

  /**
   * The table's columns changed: call it while the view stands right after the DDL (every change
   * before it delivered, none after it). Each subscription gets the new columns and its rows afresh,
   * or an E_UNKNOWN_COLUMN error when what it asked for names a column that is gone.
   */
  columnsChanged(table: string = DEFAULT_TABLE): void {
    const runner = this.#runner(table);
    const lookup = runner.columns();
    for (const connection of this.#connections) {
      for (const subscription of [...connection.subscriptions.values()]) {
        if (subscription.table !== table) continue;
        // The token's filter too: one naming a dropped column ends the subscription, not silently empties it.
        const problem = columnsProblem(subscription.request, lookup) ?? filterProblem(subscription.pinned, lookup);
        // Ended before the windows are rebuilt: a window ordered by a column that is gone is released, not rebuilt.
        if (problem) runner.step(connection, subscription, { type: 'columns-changed', problem });
        else subscription.filters = subscriberFilter(subscription.pinned, subscription.request.filter, lookup);
      }
    }
    runner.windows.rebuild(lookup);
    for (const connection of this.#connections) {
      connection.corked(() => {
        // A held or waiting subscription gets the columns when it is released or its window opens.
        for (const subscription of connection.subscriptions.values())
          if (subscription.table === table) runner.step(connection, subscription, COLUMNS_CHANGED);
      });
    }
  }

  get clientCount(): number {
    return this.#connections.size;
  }

  /** Bytes handed to sockets (or queued for them) that clients have not read yet. */
  get unsentBytes(): number {
    let bytes = 0;
    for (const connection of this.#connections) bytes += connection.unsentBytes;
    return bytes;
  }

  get subscriptionCount(): number {
    let count = 0;
    for (const connection of this.#connections) count += connection.subscriptions.size;
    return count;
  }

  /** Starts heartbeats, dead-socket detection and the freshness frames. */
  start(): void {
    this.#timer = setInterval(() => this.#tick(), this.#options.heartbeatIntervalMs);
    this.#timer.unref();
    if (this.#deps.freshness) {
      this.#freshnessTimer = setInterval(() => this.#sendFreshness(), FRESHNESS_INTERVAL_MS);
      this.#freshnessTimer.unref();
    }
  }

  #freshnessFrame(): Buffer | undefined {
    const freshness = this.#deps.freshness?.();
    return freshness && Buffer.from(JSON.stringify({ type: 'freshness', ...freshness } satisfies FreshnessFrame));
  }

  /** Every connection hears how fresh the replica is now (as every second); one serialisation for all of them. */
  freshnessChanged(): void {
    this.#sendFreshness();
  }

  #sendFreshness(): void {
    const frame = this.#freshnessFrame();
    if (!frame) return;
    for (const connection of this.#connections) connection.sendControl(frame);
  }

  /** Takes a socket whose upgrade was allowed, with what its token grants. */
  accept(socket: WebSocket, access: ConnectionAccess = OPEN_ACCESS): void {
    if (socket.protocol !== PROTOCOL_SUBPROTOCOL) {
      this.#refuseVersion(socket);
      return;
    }
    const connection: HubConnection = new Connection<Subscription>(socket, access, {
      metrics: this.#deps.metrics,
      log: this.#deps.log,
      now: () => this.#now(),
      maxBufferedBytes: this.#options.maxBufferedBytes,
      ...(this.#deps.flushes ? { flushes: this.#deps.flushes } : {}),
      onText: (_connection, text) => this.#onFrame(connection, text),
      onGone: () => this.#forget(connection),
    });
    this.#connections.add(connection);
    const welcome: WelcomeFrame = {
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      server: this.#options.serverId,
      tables: [...this.#runners.values()].map((runner) => runner.info()),
    };
    connection.sendControl(JSON.stringify(welcome));
    connection.sendControl(this.#streamStatusFrame(this.#deps.streamStatus?.() ?? null));
    const freshness = this.#freshnessFrame();
    if (freshness) connection.sendControl(freshness);
  }

  /**
   * Delivers one fetch's transactions, in order, to every subscription. Call it after every fetch,
   * even an empty one: held subscriptions are released when the view reaches their cursor. The
   * window registry must have applied the same transactions (their changes are in `windows`).
   * `upTo`: the position clients are now up to, when the pipeline holds back the view's last changes
   * (undefined: the view's position); held windows then wait, as their index must see all of it.
   */
  broadcast(transactions: readonly DeliveredTransaction[], upTo?: Position, table: string = DEFAULT_TABLE): void {
    const runner = this.#runner(table);
    const advanced: SubscriptionEvent = { type: 'view-advanced', position: upTo ?? runner.view.position, whole: upTo === undefined };
    const tableFrames: FrameCache = new Map();
    const windowFrames: FrameCache = new Map();
    const now = () => this.#now();
    const opening: [HubConnection, WindowSubscription][] = [];
    for (const connection of this.#connections) {
      if (connection.subscriptions.size === 0 || connection.closeIfSlow()) continue;
      connection.corked(() => {
        for (const subscription of connection.subscriptions.values()) {
          if (subscription.table !== table) continue;
          const { state, actions } = transition(subscription.kind, subscription.state, advanced);
          subscription.state = state;
          for (const action of actions) {
            if (action.type === 'deliver') {
              if (subscription.kind === 'table') sendTable(connection, subscription, transactions, tableFrames, now);
              else sendWindow(connection, subscription, transactions, windowFrames, now);
            } else if (action.type === 'open-window' && subscription.kind === 'window') {
              // A released window is built once the registry has this whole fetch, below.
              opening.push([connection, subscription]);
            } else runner.perform(connection, subscription, action);
          }
        }
      });
    }
    for (const [connection, subscription] of opening) {
      if (connection.subscriptions.get(subscription.id) === subscription) runner.openWindow(connection, subscription);
    }
  }

  /**
   * The replica has caught up with its topic: every subscription that waited for it gets what it
   * asked for now (a snapshot, a window, a reset), as of what was delivered.
   */
  caughtUp(table: string = DEFAULT_TABLE): void {
    const runner = this.#runner(table);
    runner.settle();
    for (const connection of this.#connections) {
      connection.corked(() => {
        for (const subscription of connection.subscriptions.values())
          if (subscription.table === table) runner.step(connection, subscription, CAUGHT_UP);
      });
    }
  }

  /** Closes every connection with the given code; clients reconnect and resume. */
  closeAll(code: number, reason: string): void {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#freshnessTimer) clearInterval(this.#freshnessTimer);
    for (const connection of [...this.#connections]) connection.close(code, reason);
  }

  #refuseVersion(socket: WebSocket): void {
    this.#deps.metrics.upgradesRefused.inc({ reason: 'protocol-version' });
    const frame: ErrorFrame = {
      type: 'error',
      code: ERROR_CODES.UNSUPPORTED_PROTOCOL,
      message: `this server speaks protocol v${PROTOCOL_VERSION} only: open the WebSocket with the subprotocol "${PROTOCOL_SUBPROTOCOL}"`,
    };
    socket.on('error', (err) => this.#deps.log.debug({ err }, 'socket error'));
    socket.send(JSON.stringify(frame));
    socket.close(CLOSE_CODES.UNSUPPORTED_PROTOCOL, `protocol v${PROTOCOL_VERSION} only (${PROTOCOL_SUBPROTOCOL})`);
  }

  #onFrame(connection: HubConnection, text: string): void {
    const parsed = parseClientFrame(text);
    if (!parsed.ok) {
      connection.sendError(parsed.code, parsed.message);
      return;
    }
    const frame = parsed.frame;
    switch (frame.type) {
      case 'subscribe': {
        const runner = this.#runners.get(frame.table);
        if (!runner) {
          const names = this.tables.join(', ');
          connection.sendError(ERROR_CODES.UNKNOWN_TABLE, `table "${frame.table}" is not streamed; tables: ${names}`, frame.id);
          return;
        }
        runner.subscribe(connection, frame);
        return;
      }
      case 'unsubscribe': {
        const subscription = connection.subscriptions.get(frame.id);
        if (!subscription) {
          connection.sendError(ERROR_CODES.UNKNOWN_SUBSCRIPTION, `no subscription "${frame.id}"`, frame.id);
          return;
        }
        this.#runner(subscription.table).step(connection, subscription, UNSUBSCRIBED);
        return;
      }
    }
  }

  #tick(): void {
    const heartbeats = new Map<string, Buffer>();
    const heartbeat = (table: string): Buffer => {
      let frame = heartbeats.get(table);
      if (!frame) {
        frame = Buffer.from(JSON.stringify({ type: 'heartbeat', table, cursor: this.#runner(table).view.cursor } satisfies HeartbeatFrame));
        heartbeats.set(table, frame);
      }
      return frame;
    };
    for (const connection of [...this.#connections]) {
      if (!connection.checkAlive()) continue;
      const tables = new Set<string>();
      for (const subscription of connection.subscriptions.values()) tables.add(subscription.table);
      for (const table of tables) connection.sendControl(heartbeat(table));
    }
  }

  #forget(connection: HubConnection): void {
    if (!this.#connections.delete(connection)) return;
    for (const subscription of [...connection.subscriptions.values()])
      this.#runner(subscription.table).step(connection, subscription, UNSUBSCRIBED);
  }
}
