/**
 * The registry of connections and their subscriptions, and the broadcast of each fetch's
 * transactions to them. Sockets are Connection's business (connection.ts), what to do with a
 * subscribe is the planner's (subscribe-planner.ts), windows are the WindowRegistry's; this module
 * carries out plans and routes frames.
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
 * Access: a connection's pinned filter (ConnectionAccess) is ANDed with every subscription's own,
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
 * Versions: a socket opened without the subprotocol PROTOCOL_SUBPROTOCOL (a v1 or unversioned
 * client) gets one error frame E_UNSUPPORTED_PROTOCOL and is closed with CLOSE_CODES.UNSUPPORTED_PROTOCOL.
 */
import type { WebSocket } from 'ws';
import {
  CLOSE_CODES,
  ERROR_CODES,
  PROTOCOL_SUBPROTOCOL,
  PROTOCOL_VERSION,
  formatCursor,
  isAfter,
  columnLookup,
  type ColumnLookup,
  type ColumnsFrame,
  type DegradedReport,
  type DiffFrame,
  type ErrorFrame,
  type StreamStatusFrame,
  type SubscriptionFilter,
  type HeartbeatFrame,
  type Position,
  type ResetFrame,
  type ResumedFrame,
  type RowFilter,
  type SnapshotFrame,
  type SubscribeFrame,
  type WelcomeFrame,
  type WindowFrame,
  type WindowQuery,
} from '@orders-live/protocol';
import type { Logger } from './logger.js';
import type { OrdersView } from './view.js';
import type { ChangeRing } from './ring.js';
import type { Metrics } from './metrics.js';
import { parseClientFrame } from './client-frames.js';
import { OPEN_ACCESS, type ConnectionAccess } from './access.js';
import { Connection } from './connection.js';
import { columnsProblem, planSubscribe } from './subscribe-planner.js';
import { matchesView, transactionFrame, viewFilter, type ViewFilter } from './subscription.js';
import type { WindowRegistry } from './window-registry.js';
import type { LiveWindow, WindowChange, WindowState } from './live-window.js';
import { groupTransactions, type TransactionBatch } from './transactions.js';

export { OPEN_ACCESS, type ConnectionAccess } from './access.js';

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

export interface HubDeps {
  readonly view: OrdersView;
  readonly ring: ChangeRing;
  readonly windows: WindowRegistry;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Epoch milliseconds, for token expiry and frame budgets; Date.now unless a test says otherwise. */
  readonly now?: () => number;
  /**
   * Delivers what the pipeline holds back (pipeline.ts), so that the view, the indexes and what
   * clients were sent agree before a snapshot or a window is taken from them.
   */
  readonly settle?: () => void;
  /** The stream's degraded report now (degraded-state.ts); null when whole. */
  readonly streamStatus?: () => DegradedReport | null;
}

/** One fetch's transaction, with what it did to each window it altered. */
export interface DeliveredTransaction {
  readonly batch: TransactionBatch;
  readonly windows: ReadonlyMap<LiveWindow, WindowChange>;
}

interface BaseSubscription {
  readonly id: string;
  /** The token's pinned filter AND the client's: every row sent matches all of them (rebuilt on a column change). */
  filters: ViewFilter;
  /** The token's filter alone. */
  readonly pinned: RowFilter | undefined;
  /** What the client asked for, checked again against the new columns after a schema change. */
  readonly request: { readonly filter: SubscriptionFilter | undefined; readonly window: WindowQuery | undefined };
  after: Position;
  /** Set while the client's cursor is ahead of this replica's view. */
  hold: NodeJS.Timeout | undefined;
}

interface TableSubscription extends BaseSubscription {
  readonly kind: 'table';
  /** Frames are cached under this key: same id, pinned and requested filter → same bytes. */
  readonly frameKey: string;
}

interface WindowSubscription extends BaseSubscription {
  readonly kind: 'window';
  readonly query: WindowQuery;
  /** Acquired once the subscription is live (not while held). */
  window: LiveWindow | undefined;
}

type Subscription = TableSubscription | WindowSubscription;
type HubConnection = Connection<Subscription>;

export class Hub {
  readonly #connections = new Set<HubConnection>();
  readonly #deps: HubDeps;
  readonly #options: HubOptions;
  #timer: NodeJS.Timeout | undefined;
  #lookup: { readonly fingerprint: string; readonly lookup: ColumnLookup } | undefined;

  constructor(deps: HubDeps, options: HubOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  #now(): number {
    return (this.#deps.now ?? Date.now)();
  }

  /** The table's columns as the view holds them, by name. */
  #columns(): ColumnLookup {
    const set = this.#deps.view.catalog.columns;
    if (this.#lookup?.fingerprint !== set.fingerprint) this.#lookup = { fingerprint: set.fingerprint, lookup: columnLookup(set.columns) };
    return this.#lookup.lookup;
  }

  #columnsFrame(id: string): string {
    const { catalog, cursor } = this.#deps.view;
    const frame: ColumnsFrame = { type: 'columns', id, table: 'orders', columns: [...catalog.columns.columns], cursor };
    return JSON.stringify(frame);
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
  columnsChanged(): void {
    const lookup = this.#columns();
    for (const connection of this.#connections) {
      for (const subscription of [...connection.subscriptions.values()]) {
        const problem = columnsProblem(subscription.request, lookup);
        if (problem) {
          this.#drop(connection, subscription);
          connection.sendError(problem.code, `${problem.message}: the table's columns changed, so this subscription ended`, subscription.id);
          continue;
        }
        subscription.filters = viewFilter(subscription.pinned, subscription.request.filter, lookup);
      }
    }
    this.#deps.windows.rebuild(lookup);
    for (const connection of this.#connections) {
      connection.corked(() => {
        for (const subscription of connection.subscriptions.values()) {
          // A held subscription gets the columns when it is released or its window opens.
          if (subscription.hold) continue;
          if (subscription.kind === 'table') this.#sendSnapshot(connection, subscription);
          else if (subscription.window) this.#openWindow(connection, subscription);
        }
      });
    }
  }

  get clientCount(): number {
    return this.#connections.size;
  }

  get subscriptionCount(): number {
    let count = 0;
    for (const connection of this.#connections) count += connection.subscriptions.size;
    return count;
  }

  /** Starts heartbeats and dead-socket detection. */
  start(): void {
    this.#timer = setInterval(() => this.#tick(), this.#options.heartbeatIntervalMs);
    this.#timer.unref();
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
      onText: (_connection, text) => this.#onFrame(connection, text),
      onGone: () => this.#forget(connection),
    });
    this.#connections.add(connection);
    const welcome: WelcomeFrame = { type: 'welcome', protocol: PROTOCOL_VERSION, server: this.#options.serverId, cursor: this.#deps.view.cursor };
    connection.write(JSON.stringify(welcome));
    connection.write(this.#streamStatusFrame(this.#deps.streamStatus?.() ?? null));
  }

  /**
   * Delivers one fetch's transactions, in order, to every subscription. Call it after every fetch,
   * even an empty one: held subscriptions are released when the view reaches their cursor. The
   * window registry must have applied the same transactions (their changes are in `windows`).
   * `upTo`: the position clients are now up to, when the pipeline holds back the view's last changes
   * (undefined: the view's position); held windows then wait, as their index must see all of it.
   */
  broadcast(transactions: readonly DeliveredTransaction[], upTo?: Position): void {
    const viewPosition = upTo ?? this.#deps.view.position;
    const tableFrames = new Map<string, (Buffer | null)[]>();
    const windowFrames = new Map<string, (Buffer | null)[]>();
    const heldWindows: [HubConnection, WindowSubscription][] = [];
    for (const connection of this.#connections) {
      if (connection.subscriptions.size === 0 || !connection.keepsUp()) continue;
      connection.corked(() => {
        for (const subscription of connection.subscriptions.values()) {
          if (subscription.hold) {
            if (isAfter(subscription.after, viewPosition)) continue;
            if (subscription.kind === 'window') {
              // Its window is built once the registry has this whole fetch, below.
              if (upTo === undefined) heldWindows.push([connection, subscription]);
              continue;
            }
            this.#release(connection, subscription);
          }
          if (subscription.kind === 'table') this.#sendTable(connection, subscription, transactions, tableFrames);
          else this.#sendWindow(connection, subscription, transactions, windowFrames);
        }
      });
    }
    for (const [connection, subscription] of heldWindows) {
      if (connection.subscriptions.get(subscription.id) !== subscription || !subscription.hold) continue;
      clearTimeout(subscription.hold);
      subscription.hold = undefined;
      this.#openWindow(connection, subscription);
    }
  }

  /** Closes every connection with the given code; clients reconnect and resume. */
  closeAll(code: number, reason: string): void {
    if (this.#timer) clearInterval(this.#timer);
    for (const connection of [...this.#connections]) connection.close(code, reason);
  }

  #sendTable(connection: HubConnection, subscription: TableSubscription, transactions: readonly DeliveredTransaction[], cache: Map<string, (Buffer | null)[]>): void {
    let encoded = cache.get(subscription.frameKey);
    if (!encoded) {
      const sentAt = this.#now();
      encoded = transactions.map(({ batch }) => {
        const frame = transactionFrame(subscription.id, batch, subscription.filters, subscription.pinned, sentAt);
        return frame ? Buffer.from(JSON.stringify(frame)) : null;
      });
      cache.set(subscription.frameKey, encoded);
    }
    for (let i = 0; i < transactions.length; i++) {
      const { batch } = transactions[i]!;
      const last = batch.changes[batch.changes.length - 1]!;
      if (!isAfter(last.position, subscription.after)) continue;
      const first = batch.changes[0]!;
      let frame = encoded[i];
      // Part of this transaction is already the client's (a resume released mid-fetch): send the rest.
      if (!isAfter(first.position, subscription.after)) {
        const rest = transactionFrame(subscription.id, batch, subscription.filters, subscription.pinned, this.#now(), subscription.after);
        frame = rest ? Buffer.from(JSON.stringify(rest)) : null;
      }
      subscription.after = last.position;
      if (frame) connection.send(frame);
    }
  }

  #sendWindow(connection: HubConnection, subscription: WindowSubscription, transactions: readonly DeliveredTransaction[], cache: Map<string, (Buffer | null)[]>): void {
    const window = subscription.window;
    if (!window) return;
    const key = `${subscription.id}\u0000${window.key}`;
    let encoded = cache.get(key);
    if (!encoded) {
      const sentAt = this.#now();
      encoded = transactions.map(({ batch, windows }) => {
        const change = windows.get(window);
        if (!change) return null;
        const last = batch.changes[batch.changes.length - 1]!;
        const frame: DiffFrame = {
          type: 'diff',
          id: subscription.id,
          table: 'orders',
          offset: change.offset,
          total: change.total,
          counts: change.counts,
          cursor: last.cursor,
          txId: batch.txId,
          commitTime: batch.commitTime,
          kafkaTime: batch.kafkaTime,
          sentAt,
          ops: change.ops,
        };
        return Buffer.from(JSON.stringify(frame));
      });
      cache.set(key, encoded);
    }
    for (let i = 0; i < transactions.length; i++) {
      const { batch } = transactions[i]!;
      const last = batch.changes[batch.changes.length - 1]!;
      if (!isAfter(last.position, subscription.after)) continue;
      subscription.after = last.position;
      const frame = encoded[i];
      if (frame) connection.send(frame);
    }
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
      case 'subscribe':
        this.#subscribe(connection, frame);
        return;
      case 'unsubscribe': {
        const subscription = connection.subscriptions.get(frame.id);
        if (!subscription) {
          connection.sendError(ERROR_CODES.UNKNOWN_SUBSCRIPTION, `no subscription "${frame.id}"`, frame.id);
          return;
        }
        this.#drop(connection, subscription);
        return;
      }
    }
  }

  #subscribe(connection: HubConnection, frame: SubscribeFrame): void {
    this.#deps.settle?.();
    const { view, ring, metrics } = this.#deps;
    const plan = planSubscribe({
      frame,
      viewPosition: view.position,
      since: (position) => ring.since(position),
      subscriptionIds: connection.subscriptions,
      maxSubscriptions: this.#options.maxSubscriptionsPerConnection,
      columns: this.#columns(),
      columnsSince: view.catalog.position,
    });
    if (plan.action === 'refuse') {
      connection.sendError(plan.code, plan.message, frame.id);
      return;
    }
    const pinned = connection.access.filter;
    const filters = viewFilter(pinned, frame.filter, this.#columns());
    const request = { filter: frame.filter, window: frame.window };
    const subscription: Subscription = frame.window
      ? { kind: 'window', id: frame.id, filters, pinned, request, query: frame.window, window: undefined, after: view.position, hold: undefined }
      : {
          kind: 'table',
          id: frame.id,
          filters,
          pinned,
          request,
          frameKey: `${frame.id}\u0000${JSON.stringify([pinned ?? null, frame.filter ?? null])}`,
          after: view.position,
          hold: undefined,
        };
    connection.subscriptions.set(frame.id, subscription);
    const kind = subscription.kind;

    switch (plan.action) {
      case 'snapshot':
        metrics.subscribes.inc({ outcome: 'snapshot' });
        this.#sendSnapshot(connection, subscription as TableSubscription);
        return;
      case 'window':
        metrics.subscribes.inc({ outcome: frame.cursor === undefined ? 'window' : 'window-resumed' });
        this.#openWindow(connection, subscription as WindowSubscription);
        return;
      case 'hold':
        metrics.subscribes.inc({ outcome: 'held' });
        subscription.after = plan.from;
        subscription.hold = setTimeout(() => this.#holdExpired(connection, subscription, frame.cursor!), this.#options.resumeHoldTimeoutMs);
        subscription.hold.unref();
        return;
      case 'reset':
        metrics.subscribes.inc({ outcome: 'reset' });
        this.#reset(connection, subscription as TableSubscription, frame.cursor!, plan.reason);
        return;
      case 'replay': {
        if (kind !== 'table') return;
        metrics.subscribes.inc({ outcome: 'resumed' });
        const table = subscription;
        // Replayed as the live stream sends them: a frame per transaction (runs of one txId).
        const replay: string[] = [];
        for (const batch of groupTransactions(plan.changes)) {
          const frame = transactionFrame(table.id, batch, table.filters, table.pinned, this.#now());
          if (frame) replay.push(JSON.stringify(frame));
        }
        const resumed: ResumedFrame = { type: 'resumed', id: table.id, from: frame.cursor!, replayed: replay.length };
        connection.corked(() => {
          connection.sendBurst(this.#columnsFrame(table.id));
          connection.sendBurst(JSON.stringify(resumed));
          for (const text of replay) connection.sendBurst(text);
        });
        return;
      }
    }
  }

  #release(connection: HubConnection, subscription: TableSubscription): void {
    clearTimeout(subscription.hold);
    subscription.hold = undefined;
    const resumed: ResumedFrame = { type: 'resumed', id: subscription.id, from: formatCursor(subscription.after), replayed: 0 };
    connection.write(this.#columnsFrame(subscription.id));
    connection.write(JSON.stringify(resumed));
  }

  #holdExpired(connection: HubConnection, subscription: Subscription, cursor: string): void {
    if (!subscription.hold || connection.subscriptions.get(subscription.id) !== subscription) return;
    this.#deps.settle?.();
    if (!subscription.hold) return; // settling delivered what it waited for
    subscription.hold = undefined;
    this.#deps.log.warn({ cursor, view: this.#deps.view.cursor }, 'a resume cursor was not reached in time; resetting the subscription');
    if (subscription.kind === 'window') {
      const reset: ResetFrame = { type: 'reset', id: subscription.id, cursor, reason: 'cursor-not-reached' };
      connection.sendBurst(JSON.stringify(reset));
      this.#openWindow(connection, subscription);
      return;
    }
    this.#reset(connection, subscription, cursor, 'cursor-not-reached');
  }

  #reset(connection: HubConnection, subscription: TableSubscription, cursor: string, reason: ResetFrame['reason']): void {
    const reset: ResetFrame = { type: 'reset', id: subscription.id, cursor, reason };
    connection.sendBurst(JSON.stringify(reset));
    this.#sendSnapshot(connection, subscription);
  }

  /** The window's state as of the view's position: the first frame of a window subscription. */
  #openWindow(connection: HubConnection, subscription: WindowSubscription): void {
    const { view, windows } = this.#deps;
    subscription.window ??= windows.acquire(subscription.filters, subscription.query);
    subscription.after = view.position;
    connection.sendBurst(this.#columnsFrame(subscription.id));
    connection.sendBurst(JSON.stringify(windowFrame(subscription.id, subscription.window.state, view.cursor)));
  }

  /** The view's rows (those the subscription's filters all match) as of its position, in chunks. */
  #sendSnapshot(connection: HubConnection, subscription: TableSubscription): void {
    const { view } = this.#deps;
    const rows = subscription.filters.parts.length > 0 ? view.rows().filter((row) => matchesView(subscription.filters, row)) : view.rows();
    subscription.after = view.position;
    const cursor = view.cursor;
    const chunk = this.#options.snapshotChunkRows;
    connection.corked(() => {
      connection.sendBurst(this.#columnsFrame(subscription.id));
      for (let start = 0; start === 0 || start < rows.length; start += chunk) {
        const snapshot: SnapshotFrame = {
          type: 'snapshot',
          id: subscription.id,
          table: 'orders',
          rows: rows.slice(start, start + chunk),
          cursor,
          done: start + chunk >= rows.length,
        };
        connection.sendBurst(JSON.stringify(snapshot));
      }
    });
  }

  #tick(): void {
    const heartbeat = Buffer.from(JSON.stringify({ type: 'heartbeat', cursor: this.#deps.view.cursor } satisfies HeartbeatFrame));
    for (const connection of [...this.#connections]) {
      if (!connection.checkAlive()) continue;
      if (connection.subscriptions.size > 0) connection.write(heartbeat);
    }
  }

  #drop(connection: HubConnection, subscription: Subscription): void {
    clearTimeout(subscription.hold);
    connection.subscriptions.delete(subscription.id);
    if (subscription.kind === 'window' && subscription.window) this.#deps.windows.release(subscription.window);
  }

  #forget(connection: HubConnection): void {
    if (!this.#connections.delete(connection)) return;
    for (const subscription of [...connection.subscriptions.values()]) this.#drop(connection, subscription);
  }
}

function windowFrame(id: string, state: WindowState, cursor: string): WindowFrame {
  return { type: 'window', id, table: 'orders', offset: state.offset, total: state.total, counts: state.counts, cursor, rows: [...state.rows] };
}
