/**
 * OrdersLiveClient: one subscription to the websocket-service (protocol v2), kept alive across
 * reconnects: the whole table (matching the filter), or a live window of it (the `window` option;
 * page with setWindow()). Its lifecycle is connection-state.ts; this file drives it.
 *
 * Every socket (socket-attempt.ts) sends `subscribe`, once the view has a cursor with that cursor,
 * so the server resumes after it or resets (table-state.ts and window-state.ts hold those rules;
 * table- and window-subscription.ts turn them into events). The view stays across reconnects. A
 * transaction is applied at once: `transaction` fires once with all its changes (after a `change`
 * per change), a window's `window` event once per diff. The table's columns come as `columns`
 * events and every row is checked against them; a frame against the protocol is reported
 * (`invalid-frame`, with a code) and, when the view could no longer follow, subscribed afresh.
 *
 * Retries: a failed attempt waits backoffDelayMs(attempt) (backoff.ts), `attempt` counting failures
 * since the client was last live. A close with GOING_AWAY (1001), SLOW_CONSUMER (4008) or
 * TOKEN_EXPIRED (4001) is the server asking for a reconnect: the first such retry is at once and
 * leaves the count alone. With the `token` option every socket gets a token got just then.
 * What talks to the world is passed in (deps): the socket factory, the timers, the clock, randomness.
 */
import {
  CLOSE_CODES,
  DEFAULT_TABLE,
  type ColumnInfo,
  type DegradedReport,
  type LiveRow,
  type RowId,
  type TableInfo,
  type WindowQuery,
} from '@orders-live/protocol';
import { backoffDelayMs, backoffSettings, type BackoffSettings } from './backoff.js';
import { zeroStats, type ClientEvents, type ClientStats } from './client-events.js';
import {
  CONNECT_TIMEOUT_MS,
  DEFAULT_SUBSCRIPTION_ID,
  IDLE_TIMEOUT_MS,
  type OrdersLiveClientDeps,
  type OrdersLiveClientOptions,
} from './client-options.js';
import { takeColumns, type ClientSubscription, type FrameSink } from './client-subscription.js';
import { INVALID_FRAME_CODES, type InvalidFrameCode } from './common-outcome.js';
import { RECONNECT_NOW_CODES, isClosed, sameState, type ConnectionState } from './connection-state.js';
import { Emitter, type Listener, type Unsubscribe } from './emitter.js';
import { parseServerFrame } from './parse-frame.js';
import { ServerInfo } from './server-info.js';
import type { HeardFreshness } from './freshness.js';
import { SingleTimer } from './single-timer.js';
import type { SocketLike } from './socket.js';
import { startAttempt, type Attempt } from './socket-attempt.js';
import { TableSubscription } from './table-subscription.js';
import { WindowSubscription } from './window-subscription.js';
import type { WindowSnapshot } from './window-state.js';

export class OrdersLiveClient {
  readonly #options: OrdersLiveClientOptions;
  readonly #backoff: BackoffSettings;
  /** Called through deps, never detached: the platform's own functions may need their receiver. */
  readonly #deps: OrdersLiveClientDeps;
  /** The one pending timer: connect timeout, idle check or retry, by state. */
  readonly #timer: SingleTimer;
  readonly #subscription: ClientSubscription;
  readonly #window: WindowSubscription | undefined;
  readonly #events = new Emitter<ClientEvents>();
  readonly #stats = zeroStats();

  #state: ConnectionState = Object.freeze({ name: 'offline', reason: 'idle' });
  #networkOnline = true;
  #current: Attempt | undefined;
  /** Failed attempts since the client was last live. */
  #attempt = 0;
  /** Whether a close with 1001/4001/4008 may reconnect at once (once per live period). */
  #immediateRetry = true;
  #socketsOpened = 0;
  #lastMessageAt = 0;
  readonly #serverInfo = new ServerInfo();

  constructor(options: OrdersLiveClientOptions, deps: OrdersLiveClientDeps) {
    this.#options = options;
    this.#backoff = backoffSettings(options.backoff);
    this.#deps = deps;
    const id = options.subscriptionId ?? DEFAULT_SUBSCRIPTION_ID;
    const table = options.table ?? DEFAULT_TABLE;
    this.#window = options.window ? new WindowSubscription(id, options.window, options.filter, table) : undefined;
    this.#subscription = this.#window ?? new TableSubscription(id, options.filter, table);
    this.#timer = new SingleTimer(
      (callback, delayMs) => deps.setTimeout(callback, delayMs),
      (handle) => deps.clearTimeout(handle),
    );
  }

  get state(): ConnectionState {
    return this.#state;
  }
  /** The cursor of the last snapshot, window or change applied; undefined before the first. */
  get cursor(): string | undefined {
    return this.#subscription.cursor;
  }
  /** Rows held: the table's matching rows, or the window's. */
  get size(): number {
    return this.#subscription.size;
  }
  /** The window (window subscription) as last applied; undefined before it arrived or for a table subscription. */
  get window(): WindowSnapshot | undefined {
    return this.#window?.window;
  }
  get stats(): ClientStats {
    return { ...this.#stats };
  }
  /** The replica that answered the current or last connection (from its welcome frame). */
  get server(): string | undefined {
    return this.#serverInfo.server;
  }
  /** The latest cursor the server reported (welcome, heartbeat): how far the log is, not the view. */
  get serverCursor(): string | undefined {
    return this.#serverInfo.cursor;
  }
  /** The table's columns (name, kind…) as the server last described them; undefined before the first columns frame. */
  get columns(): readonly ColumnInfo[] | undefined {
    return this.#subscription.columns;
  }
  /** The server's last word on holes in its stream: null while whole (or before it said). */
  /** The server's last word on how fresh its stream is, or undefined before any (see freshnessNow). */
  get freshness(): HeardFreshness | undefined {
    return this.#serverInfo.freshness;
  }

  get degraded(): DegradedReport | null {
    return this.#serverInfo.degraded;
  }
  /** The table's rows in id order, or the window's rows in the window's order. */
  rows(): readonly LiveRow[] {
    return this.#subscription.rows();
  }
  get(id: RowId): LiveRow | undefined {
    return this.#subscription.get(id);
  }
  /** A row's id under its table's key (row-id.ts): orders' id, a uuid, a composite key's text. */
  idOf(row: LiveRow): RowId {
    return this.#subscription.idOf(row);
  }
  /** The table this client follows. */
  get table(): string {
    return this.#options.table ?? DEFAULT_TABLE;
  }
  /** The tables the replica streams, from its welcome frame; empty before one came. */
  get tables(): readonly TableInfo[] {
    return this.#serverInfo.tables;
  }
  on<K extends keyof ClientEvents>(event: K, listener: Listener<ClientEvents[K]>): Unsubscribe {
    return this.#events.on(event, listener);
  }

  /**
   * Moves the window (the next or previous page, another sort or place): the old window is
   * unsubscribed and the new one subscribed on the open socket, or on the next one. The current rows
   * stay until the new window arrives (its `window` event).
   */
  setWindow(query: WindowQuery): void {
    const window = this.#window;
    if (!window) throw new Error('OrdersLiveClient: setWindow() needs a client made with the `window` option');
    const old = window.setQuery(query);
    // Not open yet: the socket subscribes to the new window when it opens.
    const socket = this.#current?.subscribed ? this.#current.socket : undefined;
    if (!socket) return;
    try {
      socket.send(JSON.stringify({ type: 'unsubscribe', id: old }));
      socket.send(JSON.stringify(window.subscribe()));
    } catch {
      this.#ended(undefined);
    }
  }

  /** Opens the first socket (or waits, if told the network is offline). Once only. */
  connect(): void {
    if (isClosed(this.#state)) throw new Error('OrdersLiveClient: connect() after close()');
    if (this.#socketsOpened > 0 || this.#current) return;
    if (!this.#networkOnline) this.#setState({ name: 'offline', reason: 'network' });
    else this.#open();
  }

  /** Closes the socket and stops for good: state offline {reason: 'closed'}. */
  close(): void {
    this.#release();
    this.#setState({ name: 'offline', reason: 'closed' });
  }

  /**
   * Tells the client whether the network is there (a browser's online/offline events). While it is
   * not, no socket is kept or retried; when it is back, the client reconnects at once and resumes.
   */
  setNetworkOnline(online: boolean): void {
    this.#networkOnline = online;
    const reason = this.#state.name === 'offline' ? this.#state.reason : undefined;
    if (reason === 'closed' || reason === 'idle') return; // closed is final; idle waits for connect()
    if (!online) {
      if (reason === 'network') return;
      this.#release();
      this.#setState({ name: 'offline', reason: 'network' });
    } else if (reason === 'network') {
      this.#attempt = 0;
      this.#immediateRetry = true;
      this.#open();
    }
  }

  #open(): void {
    this.#release();
    if (this.#socketsOpened > 0) this.#stats.reconnects += 1;
    this.#socketsOpened += 1;
    this.#setState({ name: 'connecting' });
    // The connect timeout covers getting the token too.
    this.#timer.start(this.#options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS, () => this.#ended(undefined));
    const attempt: Attempt = startAttempt(this.#options, this.#deps, {
      current: () => this.#current === attempt,
      opened: (socket) => this.#opened(attempt, socket),
      message: (data) => this.#received(attempt, data),
      ended: (code) => this.#ended(code),
    });
    // Set after: a token or factory that fails at once has already ended it (#ended cleared #current).
    if (this.#state.name === 'connecting') this.#current = attempt;
  }

  #opened(attempt: Attempt, socket: SocketLike): void {
    attempt.subscribed = true;
    this.#timer.cancel();
    this.#lastMessageAt = this.#deps.now();
    this.#watchIdle();
    try {
      socket.send(JSON.stringify(this.#subscription.subscribe()));
    } catch {
      this.#ended(undefined); // the socket closed between open and send: treat it as any failed attempt
    }
  }

  /** The socket ended (`code`), or was given up (undefined: not open in time, or silent too long). */
  #ended(code: number | undefined): void {
    this.#release();
    if (code !== undefined && RECONNECT_NOW_CODES.has(code) && this.#immediateRetry) {
      this.#immediateRetry = false;
      this.#open();
      return;
    }
    const delayMs = backoffDelayMs(this.#attempt, this.#deps.random(), this.#backoff);
    this.#attempt += 1;
    this.#setState({ name: 'reconnecting', attempt: this.#attempt, retryAt: this.#deps.now() + delayMs });
    this.#timer.start(delayMs, () => this.#open());
  }

  /** Lets go of the current socket (closing it) and of any timer. */
  #release(): void {
    this.#timer.cancel();
    const socket = this.#current?.socket;
    this.#current = undefined;
    socket?.close(CLOSE_CODES.NORMAL, 'client closed');
  }

  /** While a socket is open: checks that something arrived within idleTimeoutMs, else gives it up. */
  #watchIdle(): void {
    const idleTimeoutMs = this.#options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
    if (idleTimeoutMs <= 0) return;
    const quietMs = this.#deps.now() - this.#lastMessageAt;
    if (quietMs >= idleTimeoutMs) {
      this.#ended(undefined);
      return;
    }
    this.#timer.start(idleTimeoutMs - quietMs, () => this.#watchIdle());
  }

  // ── frames ─────────────────────────────────────────────────────────────────────────────────────
  #received(attempt: Attempt, data: unknown): void {
    this.#lastMessageAt = this.#deps.now();
    const parsed = parseServerFrame(data);
    if (!parsed.ok) {
      this.#invalid(INVALID_FRAME_CODES.NOT_A_FRAME, parsed.reason, data);
      return;
    }
    const frame = parsed.frame;
    switch (frame.type) {
      case 'welcome':
      case 'heartbeat':
      case 'stream-status':
        this.#serverInfo.take(frame, this.#options.table ?? DEFAULT_TABLE);
        if (frame.type === 'welcome') this.#events.emit('welcome', frame);
        if (frame.type === 'stream-status') this.#events.emit('stream-status', { degraded: frame.degraded });
        return;
      case 'freshness': {
        const { type: _type, ...freshness } = frame;
        const heard: HeardFreshness = { ...freshness, heardAt: this.#deps.now() };
        this.#serverInfo.freshness = heard;
        this.#events.emit('freshness', heard);
        return;
      }
      case 'error':
        this.#events.emit('server-error', frame);
        return;
      case 'columns':
        takeColumns(this.#subscription, frame, this.#sink(attempt, data));
        return;
      default:
        this.#subscription.apply(frame, this.#sink(attempt, data));
    }
  }

  #sink(attempt: Attempt, data: unknown): FrameSink {
    return {
      emit: (event, payload) => this.#events.emit(event, payload),
      stats: this.#stats,
      live: () => this.#becameLive(attempt),
      invalid: (code, reason) => this.#invalid(code, reason, data),
      resubscribe: () => this.#current === attempt && this.#ended(undefined), // unless a listener dropped it
    };
  }

  #becameLive(attempt: Attempt): void {
    // A listener of the event just emitted may have closed the client or dropped this socket.
    if (this.#current !== attempt || this.#state.name === 'live') return;
    this.#attempt = 0;
    this.#immediateRetry = true;
    this.#setState({ name: 'live' });
  }

  #invalid(code: InvalidFrameCode, reason: string, data: unknown): void {
    this.#stats.invalidFrames += 1;
    this.#events.emit('invalid-frame', { code, reason, data });
  }

  #setState(state: ConnectionState): void {
    if (isClosed(this.#state)) return; // closed is final
    if (sameState(this.#state, state)) return;
    this.#state = Object.freeze(state);
    this.#events.emit('state', this.#state);
  }
}
