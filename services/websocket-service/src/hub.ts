/**
 * The fan-out: WebSocket connections, their subscriptions, and delivery of view changes to them.
 *
 * Every subscription is positioned: `after` is the log position the subscriber has everything up
 * to. A change is sent to it only when it lies after that position, and moves it forward. A new
 * subscription starts at the view's position (after a snapshot as of that position), at the
 * client's cursor (resume, replaying the ring), or ahead of the view (the client came from a replica
 * further along: it is held until this one catches up). Subscribing and broadcasting each run in one
 * synchronous step, so nothing can fall between a snapshot and the changes that follow it.
 *
 * Each change is serialised once per distinct frame (subscription id + filter), not once per client,
 * and a batch's frames are written to a socket together. Backpressure is judged per batch: a socket
 * that still holds more unsent bytes than the bound when the next batch comes is closed with
 * CLOSE_CODES.SLOW_CONSUMER (the client resumes from its cursor; nobody else waits). So a slow
 * socket holds at most the bound plus one batch. Snapshots and resume replays may be larger than the
 * bound; their bytes are exempt until the socket has taken them.
 *
 * Access: a connection carries what its token grants (ConnectionAccess). Its pinned filter is ANDed
 * with every subscription's own (subscription.ts), for snapshots, resumes and live changes alike;
 * when the token expires the connection is closed with CLOSE_CODES.TOKEN_EXPIRED (the client
 * reconnects with a fresh token and resumes).
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import {
  CLOSE_CODES,
  ERROR_CODES,
  PROTOCOL_VERSION,
  TABLES,
  formatCursor,
  parseCursor,
  type ErrorFrame,
  type HeartbeatFrame,
  type Position,
  type ResetFrame,
  type ResumedFrame,
  type RowFilter,
  type SnapshotFrame,
  type SubscribeFrame,
  type WelcomeFrame,
} from '@orders-live/protocol';
import type { Logger } from './logger.js';
import { isAfter, type OrdersView, type TableChange } from './view.js';
import type { ChangeRing } from './ring.js';
import type { Metrics } from './metrics.js';
import { parseClientFrame } from './client-frames.js';
import { FrameBudget } from './frame-budget.js';
import { changeFrame, matchesView, opForSubscriber, viewFilter, type ViewFilter } from './subscription.js';

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
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Epoch milliseconds, for token expiry and frame budgets; Date.now unless a test says otherwise. */
  readonly now?: () => number;
}

/** What a connection's access token grants (see @orders-live/auth); OPEN_ACCESS when access control is off. */
export interface ConnectionAccess {
  /** Rows the connection may see at most: ANDed with every subscription's own filter. */
  readonly filter: RowFilter | undefined;
  /** Epoch milliseconds at which the token expires and the connection is closed; undefined: never. */
  readonly expiresAt: number | undefined;
}

export const OPEN_ACCESS: ConnectionAccess = Object.freeze({ filter: undefined, expiresAt: undefined });

/** setTimeout's longest delay (about 24.8 days); a later expiry is waited for in steps. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

interface Subscription {
  readonly id: string;
  /** The token's pinned filter AND the client's: every row sent matches all of them. */
  readonly filters: ViewFilter;
  /** The token's filter alone: rows it does not cover are withheld from change frames. */
  readonly pinned: RowFilter | undefined;
  /** Frames are cached under this key: same id, pinned and requested filter → same bytes. */
  readonly frameKey: string;
  after: Position;
  /** Set while the client's cursor is ahead of this replica's view. */
  hold: NodeJS.Timeout | undefined;
}

interface Connection {
  readonly socket: WebSocket;
  readonly access: ConnectionAccess;
  readonly subscriptions: Map<string, Subscription>;
  /** Fires when the access token expires. */
  expiry: NodeJS.Timeout | undefined;
  /** Cleared on every ping, set by the pong: a socket still false at the next tick is dead. */
  alive: boolean;
  /** Set once we decided to close it: nothing more is written. */
  closing: boolean;
  /** Snapshot and replay bytes handed to the socket but not yet flushed: exempt from the bound. */
  burstBytesInFlight: number;
  /** Frames this client may still send (frame-budget.ts). */
  readonly budget: FrameBudget;
}

export class Hub {
  readonly #connections = new Set<Connection>();
  readonly #deps: HubDeps;
  readonly #options: HubOptions;
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: HubDeps, options: HubOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  #now(): number {
    return (this.#deps.now ?? Date.now)();
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
    const connection: Connection = {
      socket,
      access,
      subscriptions: new Map(),
      expiry: undefined,
      alive: true,
      closing: false,
      burstBytesInFlight: 0,
      budget: new FrameBudget(this.#now()),
    };
    this.#connections.add(connection);
    this.#watchExpiry(connection);
    socket.on('pong', () => {
      connection.alive = true;
    });
    socket.on('message', (data, isBinary) => {
      if (connection.closing) return;
      if (!connection.budget.take(this.#now())) {
        this.#closeFlooder(connection);
        return;
      }
      if (isBinary) {
        this.#sendError(connection, ERROR_CODES.BAD_FRAME, 'binary frames are not part of the protocol');
        return;
      }
      this.#onFrame(connection, data.toString());
    });
    socket.on('close', () => {
      this.#forget(connection);
    });
    socket.on('error', (err) => {
      this.#deps.log.debug({ err }, 'socket error');
    });
    const welcome: WelcomeFrame = { type: 'welcome', protocol: PROTOCOL_VERSION, server: this.#options.serverId, cursor: this.#deps.view.cursor };
    this.#write(connection, JSON.stringify(welcome));
  }

  /**
   * Delivers a batch's changes, in order, to every subscription (call it after every batch, even an
   * empty one: held subscriptions are released when the view reaches their cursor).
   */
  broadcast(changes: readonly TableChange[]): void {
    const viewPosition = this.#deps.view.position;
    const frames = new Map<string, (Buffer | null)[]>();
    for (const connection of this.#connections) {
      if (connection.closing || connection.subscriptions.size === 0 || !this.#keepsUp(connection)) continue;
      corked(connection.socket, () => {
        for (const subscription of connection.subscriptions.values()) {
          if (subscription.hold) {
            if (isAfter(subscription.after, viewPosition)) continue;
            this.#release(connection, subscription);
          }
          let encoded = frames.get(subscription.frameKey);
          if (!encoded) {
            encoded = changes.map((change) => {
              const op = opForSubscriber(change, subscription.filters);
              return op ? Buffer.from(JSON.stringify(changeFrame(subscription.id, change, op, subscription.pinned))) : null;
            });
            frames.set(subscription.frameKey, encoded);
          }
          for (let i = 0; i < changes.length; i++) {
            const change = changes[i]!;
            if (!isAfter(change.position, subscription.after)) continue;
            subscription.after = change.position;
            const frame = encoded[i];
            if (frame) this.#send(connection, frame);
          }
        }
      });
    }
  }

  /** Closes every connection with the given code; clients reconnect and resume. */
  closeAll(code: number, reason: string): void {
    if (this.#timer) clearInterval(this.#timer);
    for (const connection of this.#connections) {
      connection.closing = true;
      clearTimeout(connection.expiry);
      for (const subscription of connection.subscriptions.values()) clearTimeout(subscription.hold);
      connection.socket.close(code, reason);
    }
  }

  /** Closes the connection with TOKEN_EXPIRED once its token's expiry has come. */
  #watchExpiry(connection: Connection): void {
    const { expiresAt } = connection.access;
    if (expiresAt === undefined || connection.closing) return;
    const remainingMs = expiresAt - this.#now();
    if (remainingMs > 0) {
      connection.expiry = setTimeout(() => this.#watchExpiry(connection), Math.min(remainingMs, MAX_TIMER_DELAY_MS));
      connection.expiry.unref();
      return;
    }
    this.#deps.log.info('closing a connection whose access token expired');
    connection.closing = true;
    this.#forget(connection);
    connection.socket.close(CLOSE_CODES.TOKEN_EXPIRED, 'access token expired: reconnect with a fresh token and resume');
  }

  #onFrame(connection: Connection, text: string): void {
    const parsed = parseClientFrame(text);
    if (!parsed.ok) {
      this.#sendError(connection, parsed.code, parsed.message);
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
          this.#sendError(connection, ERROR_CODES.UNKNOWN_SUBSCRIPTION, `no subscription "${frame.id}"`, frame.id);
          return;
        }
        clearTimeout(subscription.hold);
        connection.subscriptions.delete(frame.id);
        return;
      }
    }
  }

  #subscribe(connection: Connection, frame: SubscribeFrame): void {
    if (!(TABLES as readonly string[]).includes(frame.table)) {
      this.#sendError(connection, ERROR_CODES.UNKNOWN_TABLE, `table "${frame.table.slice(0, 64)}" is not streamed; tables: ${TABLES.join(', ')}`, frame.id);
      return;
    }
    if (connection.subscriptions.has(frame.id)) {
      this.#sendError(connection, ERROR_CODES.DUPLICATE_SUBSCRIPTION, `subscription "${frame.id}" already exists`, frame.id);
      return;
    }
    if (connection.subscriptions.size >= this.#options.maxSubscriptionsPerConnection) {
      this.#sendError(connection, ERROR_CODES.TOO_MANY_SUBSCRIPTIONS, `at most ${this.#options.maxSubscriptionsPerConnection} subscriptions per connection`, frame.id);
      return;
    }
    let from: Position | undefined;
    if (frame.cursor !== undefined) {
      from = parseCursor(frame.cursor);
      if (!from) {
        this.#sendError(connection, ERROR_CODES.BAD_CURSOR, 'cursor was not produced by this service', frame.id);
        return;
      }
    }
    const { view, ring, metrics } = this.#deps;
    const pinned = connection.access.filter;
    const subscription: Subscription = {
      id: frame.id,
      filters: viewFilter(pinned, frame.filter),
      pinned,
      frameKey: `${frame.id}\u0000${JSON.stringify([pinned ?? null, frame.filter ?? null])}`,
      after: view.position,
      hold: undefined,
    };
    connection.subscriptions.set(frame.id, subscription);

    if (from === undefined) {
      metrics.subscribes.inc({ outcome: 'snapshot' });
      this.#sendSnapshot(connection, subscription);
      return;
    }
    if (isAfter(from, view.position)) {
      // The client has seen more than this replica: wait for the view to get there.
      metrics.subscribes.inc({ outcome: 'held' });
      subscription.after = from;
      subscription.hold = setTimeout(() => this.#holdExpired(connection, subscription, frame.cursor!), this.#options.resumeHoldTimeoutMs);
      subscription.hold.unref();
      return;
    }
    const missed = ring.since(from);
    if (!missed) {
      metrics.subscribes.inc({ outcome: 'reset' });
      this.#reset(connection, subscription, frame.cursor!, 'cursor-too-old');
      return;
    }
    metrics.subscribes.inc({ outcome: 'resumed' });
    const replay = missed.flatMap((change) => {
      const op = opForSubscriber(change, subscription.filters);
      return op ? [JSON.stringify(changeFrame(subscription.id, change, op, subscription.pinned))] : [];
    });
    const resumed: ResumedFrame = { type: 'resumed', id: subscription.id, from: frame.cursor!, replayed: replay.length };
    corked(connection.socket, () => {
      this.#sendBurst(connection, JSON.stringify(resumed));
      for (const text of replay) this.#sendBurst(connection, text);
    });
  }

  #release(connection: Connection, subscription: Subscription): void {
    clearTimeout(subscription.hold);
    subscription.hold = undefined;
    const resumed: ResumedFrame = { type: 'resumed', id: subscription.id, from: formatCursor(subscription.after), replayed: 0 };
    this.#write(connection, JSON.stringify(resumed));
  }

  #holdExpired(connection: Connection, subscription: Subscription, cursor: string): void {
    if (!subscription.hold || connection.subscriptions.get(subscription.id) !== subscription) return;
    subscription.hold = undefined;
    this.#deps.log.warn({ cursor, view: this.#deps.view.cursor }, 'a resume cursor was not reached in time; resetting the subscription');
    this.#reset(connection, subscription, cursor, 'cursor-not-reached');
  }

  #reset(connection: Connection, subscription: Subscription, cursor: string, reason: ResetFrame['reason']): void {
    const reset: ResetFrame = { type: 'reset', id: subscription.id, cursor, reason };
    this.#sendBurst(connection, JSON.stringify(reset));
    this.#sendSnapshot(connection, subscription);
  }

  /** The view's rows (those the subscription's filters all match) as of its position, in chunks. */
  #sendSnapshot(connection: Connection, subscription: Subscription): void {
    const { view } = this.#deps;
    const rows = subscription.filters.length > 0 ? view.rows().filter((row) => matchesView(subscription.filters, row)) : view.rows();
    subscription.after = view.position;
    const cursor = view.cursor;
    const chunk = this.#options.snapshotChunkRows;
    corked(connection.socket, () => {
      for (let start = 0; start === 0 || start < rows.length; start += chunk) {
        const snapshot: SnapshotFrame = {
          type: 'snapshot',
          id: subscription.id,
          table: 'orders',
          rows: rows.slice(start, start + chunk),
          cursor,
          done: start + chunk >= rows.length,
        };
        this.#sendBurst(connection, JSON.stringify(snapshot));
      }
    });
  }

  #tick(): void {
    const heartbeat = Buffer.from(JSON.stringify({ type: 'heartbeat', cursor: this.#deps.view.cursor } satisfies HeartbeatFrame));
    for (const connection of this.#connections) {
      if (connection.closing) continue;
      if (!connection.alive) {
        this.#deps.log.info('closing a connection that missed its pong');
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
      if (connection.subscriptions.size > 0) this.#write(connection, heartbeat);
    }
  }

  #sendError(connection: Connection, code: string, message: string, id?: string): void {
    const frame: ErrorFrame = id === undefined ? { type: 'error', code, message } : { type: 'error', code, message, id };
    this.#write(connection, JSON.stringify(frame));
  }

  /** Writes a small control frame (welcome, error, resumed, heartbeat) if the socket keeps up. */
  #write(connection: Connection, data: string | Buffer): void {
    if (this.#keepsUp(connection)) this.#send(connection, data);
  }

  /**
   * False — and the connection is closed as a slow consumer — when the socket still holds more
   * unsent bytes (beyond exempt bursts) than the bound.
   */
  #keepsUp(connection: Connection): boolean {
    if (connection.closing || connection.socket.readyState !== connection.socket.OPEN) return false;
    const unsent = connection.socket.bufferedAmount - connection.burstBytesInFlight;
    if (unsent <= this.#options.maxBufferedBytes) return true;
    this.#closeSlow(connection, unsent);
    return false;
  }

  #send(connection: Connection, data: string | Buffer): void {
    connection.socket.send(data, { binary: false });
    this.#deps.metrics.framesSent.inc();
    this.#deps.metrics.bytesSent.inc(typeof data === 'string' ? Buffer.byteLength(data) : data.length);
  }

  /** A snapshot chunk or a replayed change: exempt from the bound until the socket has taken it. */
  #sendBurst(connection: Connection, data: string): void {
    if (connection.closing || connection.socket.readyState !== connection.socket.OPEN) return;
    const size = Buffer.byteLength(data);
    connection.burstBytesInFlight += size;
    connection.socket.send(data, { binary: false }, () => {
      connection.burstBytesInFlight -= size;
    });
    this.#deps.metrics.framesSent.inc();
    this.#deps.metrics.bytesSent.inc(size);
  }

  #closeFlooder(connection: Connection): void {
    connection.closing = true;
    this.#deps.metrics.floodCloses.inc();
    this.#deps.log.info('closing a connection that sent frames past its budget');
    this.#forget(connection);
    connection.socket.close(CLOSE_CODES.POLICY_VIOLATION, 'too many frames');
  }

  #closeSlow(connection: Connection, unsent: number): void {
    connection.closing = true;
    this.#deps.metrics.slowConsumerCloses.inc();
    this.#deps.log.info({ unsentBytes: unsent, bound: this.#options.maxBufferedBytes }, 'closing a slow consumer');
    this.#forget(connection);
    connection.socket.close(CLOSE_CODES.SLOW_CONSUMER, 'slow consumer: reconnect and resume from your cursor');
  }

  #forget(connection: Connection): void {
    clearTimeout(connection.expiry);
    for (const subscription of connection.subscriptions.values()) clearTimeout(subscription.hold);
    this.#connections.delete(connection);
  }
}

/**
 * Runs `write` with the socket's TCP stream corked, so the frames it sends leave in one write
 * instead of one syscall each. ws keeps its net.Socket in the (undocumented but long-stable)
 * `_socket` field; without it, frames are simply written one by one.
 */
function corked(socket: WebSocket, write: () => void): void {
  const raw = (socket as unknown as { _socket?: Socket })._socket;
  raw?.cork();
  try {
    write();
  } finally {
    raw?.uncork();
  }
}
