/**
 * OrdersLiveClient: one subscription to the websocket-service (protocol v2), kept alive across
 * reconnects: the whole table (matching the filter), or a live window of it (the `window` option;
 * page with setWindow()).
 *
 *              connect()                  last snapshot chunk, or `resumed`
 *   offline ─────────────▶ connecting ─────────────────────────────────────▶ live
 *   (idle)                  ▲      │ socket closed / not open in time            │ socket closed,
 *                           │      │                                             │ or silent too long
 *                           │      ▼                                             ▼
 *                           └── reconnecting {attempt, retryAt} ◀───────────────┘
 *              timer fires        (backoff; closed with 1001/4001/4008 → connecting at once, see below)
 *
 *   close():                 any state → offline {reason: 'closed'}; final, no socket is opened again.
 *   setNetworkOnline(false): any state → offline {reason: 'network'}; setNetworkOnline(true) → connecting.
 *
 * Every socket is opened with the subprotocol `orders-live.v2` and sends `subscribe`; once the view
 * has a cursor, with that cursor, so the server resumes after it or resets (view-state.ts and
 * window-state.ts hold those rules). The view stays across reconnects. A transaction arrives as one
 * frame and is applied at once: `transaction` fires once with all its changes (after a `change` per
 * change), a window's `window` event once per diff.
 *
 * Retries: a failed attempt waits backoffDelayMs(attempt) (backoff.ts), `attempt` counting failures
 * since the last time the client was live. A close with GOING_AWAY (1001, a replica shutting down),
 * SLOW_CONSUMER (4008) or TOKEN_EXPIRED (4001) is the server asking for a reconnect: the first such
 * retry is at once and leaves the attempt count alone; if that one fails too, the backoff applies.
 *
 * Access tokens: with the `token` option, every socket (the first and every reconnect) is opened
 * with a token got just then, sent as the `bearer` subprotocol, so a function can hand out a fresh
 * one each time. A server that refuses the token refuses the upgrade: to the client that is a socket
 * that closed without opening, retried with backoff like any other.
 *
 * What talks to the world is passed in (deps): the socket factory, the timers, the clock, randomness.
 */
import {
  BEARER_SUBPROTOCOL,
  CLOSE_CODES,
  PROTOCOL_SUBPROTOCOL,
  type ColumnInfo,
  type DegradedReport,
  type ErrorFrame,
  type OrderRow,
  type ResetFrame,
  type RowFilter,
  type WelcomeFrame,
  type WindowOp,
  type WindowQuery,
} from '@orders-live/protocol';
import { backoffDelayMs, backoffSettings, type BackoffSettings } from './backoff.js';
import { Emitter, type Listener, type Unsubscribe } from './emitter.js';
import { parseServerFrame } from './parse-frame.js';
import type { CreateSocket, SocketLike } from './socket.js';
import { ViewState, type AppliedChange, type AppliedTransaction, type FrameOutcome } from './view-state.js';
import { WindowState, type WindowOutcome, type WindowSnapshot } from './window-state.js';

/** The page holds one subscription, so one id is enough unless a caller says otherwise. */
export const DEFAULT_SUBSCRIPTION_ID = 'orders';
/** A socket still opening after 10 s is given up: browsers can take minutes to fail on a dead host. */
export const CONNECT_TIMEOUT_MS = 10_000;
/**
 * An open socket that delivers nothing for 45 s is taken for dead and replaced: the server sends a
 * heartbeat every 15 s by default (HEARTBEAT_INTERVAL_MS), so that is three missed in a row.
 */
export const IDLE_TIMEOUT_MS = 45_000;

export const CONNECTION_STATES = ['connecting', 'live', 'reconnecting', 'offline'] as const;
export type ConnectionStateName = (typeof CONNECTION_STATES)[number];

export type ConnectionState =
  /** A socket is opening, or open and subscribed but the view is not current yet. */
  | { readonly name: 'connecting' }
  /** The view is current: snapshot complete, or resumed; changes apply as they come. */
  | { readonly name: 'live' }
  /** Waiting to retry: `attempt` is 1 for the first retry since the client was last live; `retryAt` is epoch ms. */
  | { readonly name: 'reconnecting'; readonly attempt: number; readonly retryAt: number }
  /** No socket and none coming: not connected yet (idle), told the network is gone, or closed for good. */
  | { readonly name: 'offline'; readonly reason: 'idle' | 'network' | 'closed' };

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

export interface InvalidFrameEvent {
  readonly reason: string;
  /** The message as received. */
  readonly data: unknown;
}

/**
 * The window's new state (window subscription): whole (`ops` and the rest undefined), or after a diff:
 * its steps, the transaction's id, and its hop times (docs/protocol.md), epoch ms.
 */
export type WindowEvent = WindowSnapshot & {
  readonly ops: readonly WindowOp[] | undefined;
  readonly txId: number | null | undefined;
  readonly commitTime: number | undefined;
  readonly kafkaTime: number | undefined;
  readonly sentAt: number | undefined;
};

export interface ClientEvents {
  state: ConnectionState;
  /** The whole view was replaced (a snapshot completed): its rows in id order. */
  snapshot: { readonly rows: readonly OrderRow[]; readonly cursor: string };
  /** One row change of a transaction (table subscription); `transaction` follows once for all of them. */
  change: AppliedChange;
  /** A transaction frame applied at once (table subscription). */
  transaction: AppliedTransaction;
  window: WindowEvent;
  resumed: { readonly from: string; readonly replayed: number };
  reset: { readonly cursor: string; readonly reason: ResetFrame['reason'] };
  'server-error': ErrorFrame;
  'invalid-frame': InvalidFrameEvent;
  /** A server greeted this connection (which replica, and its latest cursor). */
  welcome: WelcomeFrame;
  /**
   * The table's columns (at subscribe, and after a schema change: then the rows follow afresh in the
   * new shape, as a snapshot or window event). Rows after it have exactly these columns.
   */
  columns: { readonly columns: readonly ColumnInfo[]; readonly cursor: string };
  /** Whether the server's stream is whole (at connect and on change); `degraded` null: all is well. */
  'stream-status': { readonly degraded: DegradedReport | null };
}

export interface OrdersLiveClientOptions {
  /** The websocket-service endpoint, ws:// or wss://. */
  readonly url: string;
  /** Default DEFAULT_SUBSCRIPTION_ID ("orders"). */
  readonly subscriptionId?: string | undefined;
  /** Only rows matching this filter (evaluated by the server; enter/leave keep the view right). */
  readonly filter?: RowFilter | undefined;
  /** A live window of the table instead of all of it: orderBy, limit, and offset/after/before. */
  readonly window?: WindowQuery | undefined;
  /**
   * The access token, when the server has access control on: a string, or a function asked for one
   * before every (re)connect (so it can refresh an expiring token). A function that throws or
   * rejects counts as a failed attempt. The server may also narrow the view to the token's rows.
   */
  readonly token?: string | (() => string | Promise<string>) | undefined;
  /** Defaults: 500 ms initial, 10 s max, factor 2 (backoff.ts). */
  readonly backoff?: Partial<BackoffSettings> | undefined;
  /** Default CONNECT_TIMEOUT_MS. */
  readonly connectTimeoutMs?: number | undefined;
  /** Default IDLE_TIMEOUT_MS; 0 turns idle detection off. Keep it above the server's heartbeat interval. */
  readonly idleTimeoutMs?: number | undefined;
}

/** Declared as methods so the platform's own functions fit (their handle types differ). */
export interface OrdersLiveClientDeps {
  createSocket: CreateSocket;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Epoch milliseconds, as Date.now. */
  now(): number;
  /** In [0, 1), as Math.random. */
  random(): number;
}

/** The platform's timers, clock and randomness (browser or Node), around a socket factory. */
export function defaultDeps(createSocket: CreateSocket): OrdersLiveClientDeps {
  return {
    createSocket,
    setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
    now: () => Date.now(),
    random: () => Math.random(),
  };
}

type MutableStats = { -readonly [K in keyof ClientStats]: ClientStats[K] };

/** Marks one attempt; events of one the client has let go are ignored. No socket while the token is fetched. */
type Attempt = { socket: SocketLike | undefined; subscribed: boolean };

/** Close codes that ask the client to reconnect at once (and resume). */
const RECONNECT_NOW_CODES: ReadonlySet<number> = new Set([CLOSE_CODES.GOING_AWAY, CLOSE_CODES.SLOW_CONSUMER, CLOSE_CODES.TOKEN_EXPIRED]);

export class OrdersLiveClient {
  readonly #url: string;
  readonly #backoff: BackoffSettings;
  readonly #connectTimeoutMs: number;
  readonly #idleTimeoutMs: number;
  readonly #token: OrdersLiveClientOptions['token'];
  readonly #createSocket: CreateSocket;
  // Kept as plain functions: a browser's setTimeout throws when called as a method of another object.
  readonly #setTimer: (callback: () => void, delayMs: number) => unknown;
  readonly #clearTimer: (handle: unknown) => void;
  readonly #now: () => number;
  readonly #random: () => number;

  readonly #view: ViewState;
  readonly #events = new Emitter<ClientEvents>();
  readonly #windowState: WindowState | undefined;
  readonly #stats: MutableStats = { changesApplied: 0, transactionsApplied: 0, duplicatesDropped: 0, resumes: 0, resets: 0, invalidFrames: 0, reconnects: 0 };

  #state: ConnectionState = Object.freeze({ name: 'offline', reason: 'idle' });
  #networkOnline = true;
  #current: Attempt | undefined;
  /** The one pending timer: connect timeout, idle check or retry, by state. */
  #timer: unknown;
  #timerSet = false;
  /** Failed attempts since the client was last live. */
  #attempt = 0;
  /** Whether a close with 1001/4001/4008 may reconnect at once (once per live period). */
  #immediateRetry = true;
  #socketsOpened = 0;
  #lastMessageAt = 0;
  #server: string | undefined;
  #serverCursor: string | undefined;
  #columns: readonly ColumnInfo[] | undefined;
  #degraded: DegradedReport | null = null;

  constructor(options: OrdersLiveClientOptions, deps: OrdersLiveClientDeps) {
    this.#url = options.url;
    this.#backoff = backoffSettings(options.backoff);
    this.#connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
    this.#token = options.token;
    this.#view = new ViewState(options.subscriptionId ?? DEFAULT_SUBSCRIPTION_ID, options.filter);
    this.#windowState = options.window ? new WindowState(options.subscriptionId ?? DEFAULT_SUBSCRIPTION_ID, options.window, options.filter) : undefined;
    // Called through deps, never detached: the platform's own functions may need their receiver.
    this.#createSocket = deps.createSocket;
    this.#setTimer = (callback, delayMs) => deps.setTimeout(callback, delayMs);
    this.#clearTimer = (handle) => deps.clearTimeout(handle);
    this.#now = () => deps.now();
    this.#random = () => deps.random();
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────────────
  get state(): ConnectionState {
    return this.#state;
  }

  /** The cursor of the last snapshot, window or change applied; undefined before the first. */
  get cursor(): string | undefined {
    return this.#windowState ? this.#windowState.cursor : this.#view.cursor;
  }

  /** Rows held: the table's matching rows, or the window's. */
  get size(): number {
    return this.#windowState ? (this.#windowState.window?.rows.length ?? 0) : this.#view.size;
  }

  /** The window (window subscription) as last applied; undefined before it arrived or for a table subscription. */
  get window(): WindowSnapshot | undefined {
    return this.#windowState?.window;
  }

  get stats(): ClientStats {
    return { ...this.#stats };
  }

  /** The replica that answered the current or last connection (from its welcome frame). */
  get server(): string | undefined {
    return this.#server;
  }

  /** The latest cursor the server reported (welcome, heartbeat): how far the log is, not the view. */
  get serverCursor(): string | undefined {
    return this.#serverCursor;
  }

  /** The table's columns as the server last described them; undefined before the first columns frame. */
  get columns(): readonly ColumnInfo[] | undefined {
    return this.#columns;
  }

  /** The server's last word on holes in its stream: null while whole (or before it said). */
  get degraded(): DegradedReport | null {
    return this.#degraded;
  }

  /** The table's rows in id order, or the window's rows in the window's order. */
  rows(): readonly OrderRow[] {
    return this.#windowState ? (this.#windowState.window?.rows ?? []) : this.#view.rows();
  }

  get(id: number): OrderRow | undefined {
    return this.#windowState ? this.#windowState.window?.rows.find((row) => row.id === id) : this.#view.get(id);
  }

  on<K extends keyof ClientEvents>(event: K, listener: Listener<ClientEvents[K]>): Unsubscribe {
    return this.#events.on(event, listener);
  }

  // ── commands ───────────────────────────────────────────────────────────────────────────────────
  /**
   * Moves the window (the next or previous page, another sort or place): the old window is
   * unsubscribed and the new one subscribed on the open socket, or on the next one. The current rows
   * stay until the new window arrives (its `window` event).
   */
  setWindow(query: WindowQuery): void {
    const windowState = this.#windowState;
    if (!windowState) throw new Error('OrdersLiveClient: setWindow() needs a client made with the `window` option');
    const old = windowState.setQuery(query);
    // Not open yet: the socket subscribes to the new window when it opens.
    const socket = this.#current?.subscribed ? this.#current.socket : undefined;
    if (!socket) return;
    try {
      socket.send(JSON.stringify({ type: 'unsubscribe', id: old }));
      socket.send(JSON.stringify(windowState.subscribe()));
    } catch {
      this.#ended(undefined);
    }
  }

  /** Opens the first socket (or waits, if told the network is offline). Once only. */
  connect(): void {
    if (this.#state.name === 'offline' && this.#state.reason === 'closed') throw new Error('OrdersLiveClient: connect() after close()');
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

  // ── socket lifecycle ───────────────────────────────────────────────────────────────────────────
  #open(): void {
    this.#release();
    if (this.#socketsOpened > 0) this.#stats.reconnects += 1;
    this.#socketsOpened += 1;
    this.#setState({ name: 'connecting' });

    const attempt: Attempt = { socket: undefined, subscribed: false };
    this.#current = attempt;
    // The connect timeout covers getting the token too.
    this.#startTimer(this.#connectTimeoutMs, () => this.#ended(undefined));
    const token = this.#token;
    if (token === undefined || typeof token === 'string') {
      this.#openSocket(attempt, token);
      return;
    }
    let got: string | Promise<string>;
    try {
      got = token();
    } catch {
      this.#ended(undefined);
      return;
    }
    if (typeof got === 'string') {
      this.#openSocket(attempt, got);
      return;
    }
    got.then(
      (value) => {
        if (this.#current === attempt) this.#openSocket(attempt, value);
      },
      () => {
        if (this.#current === attempt) this.#ended(undefined);
      },
    );
  }

  #openSocket(attempt: Attempt, token: string | undefined): void {
    let socket: SocketLike;
    try {
      // The protocol version travels as a subprotocol; so does the token, after `bearer`.
      socket = this.#createSocket(this.#url, token === undefined ? [PROTOCOL_SUBPROTOCOL] : [PROTOCOL_SUBPROTOCOL, BEARER_SUBPROTOCOL, token]);
    } catch {
      // e.g. a URL the browser refuses: retry with backoff rather than stop without a word.
      this.#ended(CLOSE_CODES.NORMAL);
      return;
    }
    attempt.socket = socket;
    socket.addEventListener('open', () => {
      if (this.#current === attempt) this.#opened(attempt, socket);
    });
    socket.addEventListener('message', (event) => {
      if (this.#current === attempt) this.#received(attempt, event.data);
    });
    socket.addEventListener('close', (event) => {
      if (this.#current === attempt) this.#ended(event.code);
    });
    socket.addEventListener('error', () => {
      // Always followed by `close`, which decides what happens next.
    });
  }

  #opened(attempt: Attempt, socket: SocketLike): void {
    attempt.subscribed = true;
    this.#cancelTimer();
    this.#lastMessageAt = this.#now();
    this.#watchIdle();
    try {
      socket.send(JSON.stringify(this.#windowState ? this.#windowState.subscribe() : this.#view.subscribe()));
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
    const delayMs = backoffDelayMs(this.#attempt, this.#random(), this.#backoff);
    this.#attempt += 1;
    this.#setState({ name: 'reconnecting', attempt: this.#attempt, retryAt: this.#now() + delayMs });
    this.#startTimer(delayMs, () => this.#open());
  }

  /** Lets go of the current socket (closing it) and of any timer. */
  #release(): void {
    this.#cancelTimer();
    const socket = this.#current?.socket;
    this.#current = undefined;
    socket?.close(CLOSE_CODES.NORMAL, 'client closed');
  }

  /** While a socket is open: checks that something arrived within idleTimeoutMs, else gives it up. */
  #watchIdle(): void {
    if (this.#idleTimeoutMs <= 0) return;
    const quietMs = this.#now() - this.#lastMessageAt;
    if (quietMs >= this.#idleTimeoutMs) {
      this.#ended(undefined);
      return;
    }
    this.#startTimer(this.#idleTimeoutMs - quietMs, () => this.#watchIdle());
  }

  #startTimer(delayMs: number, run: () => void): void {
    this.#cancelTimer();
    const setTimer = this.#setTimer;
    this.#timer = setTimer(() => {
      this.#timerSet = false;
      run();
    }, delayMs);
    this.#timerSet = true;
  }

  #cancelTimer(): void {
    if (!this.#timerSet) return;
    const clearTimer = this.#clearTimer;
    clearTimer(this.#timer);
    this.#timerSet = false;
    this.#timer = undefined;
  }

  // ── frames ─────────────────────────────────────────────────────────────────────────────────────
  #received(attempt: Attempt, data: unknown): void {
    this.#lastMessageAt = this.#now();
    const parsed = parseServerFrame(data);
    if (!parsed.ok) {
      this.#invalid(parsed.reason, data);
      return;
    }
    const frame = parsed.frame;
    switch (frame.type) {
      case 'welcome':
        this.#server = frame.server;
        this.#serverCursor = frame.cursor;
        this.#events.emit('welcome', frame);
        return;
      case 'heartbeat':
        this.#serverCursor = frame.cursor;
        return;
      case 'error':
        this.#events.emit('server-error', frame);
        return;
      case 'stream-status':
        this.#degraded = frame.degraded;
        this.#events.emit('stream-status', { degraded: frame.degraded });
        return;
      case 'columns':
        // Another (older) subscription's columns are not this view's.
        if (frame.id !== (this.#windowState ? this.#windowState.subscriptionId : this.#view.subscriptionId)) return;
        this.#columns = frame.columns;
        this.#events.emit('columns', { columns: frame.columns, cursor: frame.cursor });
        return;
      case 'window':
      case 'diff':
        if (this.#windowState) this.#windowOutcome(attempt, this.#windowState.apply(frame), data);
        else this.#invalid(`${frame.type}: not subscribed to a window`, data);
        return;
      case 'reset':
        if (this.#windowState) this.#windowOutcome(attempt, this.#windowState.apply(frame), data);
        else this.#outcome(attempt, this.#view.apply(frame), data);
        return;
      default:
        if (this.#windowState) this.#invalid(`${frame.type}: not part of a window subscription`, data);
        else this.#outcome(attempt, this.#view.apply(frame), data);
    }
  }

  #windowOutcome(attempt: Attempt, outcome: WindowOutcome, data: unknown): void {
    switch (outcome.kind) {
      case 'window':
        this.#events.emit('window', { ...outcome.window, ops: undefined, txId: undefined, commitTime: undefined, kafkaTime: undefined, sentAt: undefined });
        this.#becameLive(attempt);
        return;
      case 'diff':
        this.#stats.transactionsApplied += 1;
        this.#events.emit('window', { ...outcome.window, ops: outcome.ops, txId: outcome.txId, commitTime: outcome.commitTime, kafkaTime: outcome.kafkaTime, sentAt: outcome.sentAt });
        return;
      case 'duplicate':
        this.#stats.duplicatesDropped += 1;
        return;
      case 'reset':
        this.#stats.resets += 1;
        this.#events.emit('reset', { cursor: outcome.cursor, reason: outcome.reason });
        return;
      case 'invalid':
        this.#invalid(outcome.reason, data);
        // The window no longer matches the server's: a new socket subscribes afresh.
        if (this.#current === attempt) this.#ended(undefined);
        return;
      case 'ignored':
        return;
    }
  }

  #outcome(attempt: Attempt, outcome: FrameOutcome, data: unknown): void {
    switch (outcome.kind) {
      case 'snapshot':
        this.#events.emit('snapshot', { rows: outcome.rows, cursor: outcome.cursor });
        this.#becameLive(attempt);
        return;
      case 'transaction':
        this.#stats.changesApplied += outcome.transaction.changes.length;
        this.#stats.transactionsApplied += 1;
        for (const change of outcome.transaction.changes) this.#events.emit('change', change);
        this.#events.emit('transaction', outcome.transaction);
        return;
      case 'duplicate':
        this.#stats.duplicatesDropped += 1;
        return;
      case 'resumed':
        this.#stats.resumes += 1;
        this.#events.emit('resumed', { from: outcome.from, replayed: outcome.replayed });
        this.#becameLive(attempt);
        return;
      case 'reset':
        this.#stats.resets += 1;
        this.#events.emit('reset', { cursor: outcome.cursor, reason: outcome.reason });
        return;
      case 'invalid':
        this.#invalid(outcome.reason, data);
        return;
      case 'snapshot-chunk':
      case 'ignored':
        return;
    }
  }

  #becameLive(attempt: Attempt): void {
    // A listener of the event just emitted may have closed the client or dropped this socket.
    if (this.#current !== attempt || this.#state.name === 'live') return;
    this.#attempt = 0;
    this.#immediateRetry = true;
    this.#setState({ name: 'live' });
  }

  #invalid(reason: string, data: unknown): void {
    this.#stats.invalidFrames += 1;
    this.#events.emit('invalid-frame', { reason, data });
  }

  #setState(state: ConnectionState): void {
    const previous = this.#state;
    if (previous.name === 'offline' && previous.reason === 'closed') return; // closed is final
    if (sameState(previous, state)) return;
    this.#state = Object.freeze(state);
    this.#events.emit('state', this.#state);
  }
}

function sameState(a: ConnectionState, b: ConnectionState): boolean {
  if (a.name === 'offline' && b.name === 'offline') return a.reason === b.reason;
  // Every wait is news (a new attempt and retryAt); connecting and live carry nothing more than their name.
  return a.name === b.name && a.name !== 'reconnecting';
}
