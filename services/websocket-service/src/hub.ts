/**
 * The fan-out: WebSocket connections, their subscriptions, and delivery of view changes to them.
 *
 * A subscription gets the view's rows as of cursor C, then every change after C. Snapshot and
 * registration happen in one synchronous step and changes are applied and broadcast in another,
 * so no change can fall between the two (the event loop serialises them).
 *
 * Each change is serialised once per distinct frame (per subscription id), not once per client.
 */
import type { WebSocket } from 'ws';
import {
  ERROR_CODES,
  PROTOCOL_VERSION,
  TABLES,
  type ChangeFrame,
  type ErrorFrame,
  type HeartbeatFrame,
  type SnapshotFrame,
  type SubscribeFrame,
  type WelcomeFrame,
} from '@orders-live/protocol';
import type { Logger } from './logger.js';
import type { OrdersView, TableChange } from './view.js';
import { parseClientFrame } from './client-frames.js';

export interface HubOptions {
  readonly serverId: string;
  readonly snapshotChunkRows: number;
  readonly heartbeatIntervalMs: number;
}

interface Connection {
  readonly socket: WebSocket;
  /** subscription id → table */
  readonly subscriptions: Map<string, string>;
  /** Cleared on every ping, set by the pong: a socket still false at the next tick is dead. */
  alive: boolean;
}

export class Hub {
  readonly #connections = new Set<Connection>();
  readonly #view: OrdersView;
  readonly #log: Logger;
  readonly #options: HubOptions;
  #timer: NodeJS.Timeout | undefined;

  constructor(view: OrdersView, log: Logger, options: HubOptions) {
    this.#view = view;
    this.#log = log;
    this.#options = options;
  }

  get clientCount(): number {
    return this.#connections.size;
  }

  /** Starts heartbeats and dead-socket detection. */
  start(): void {
    this.#timer = setInterval(() => this.#tick(), this.#options.heartbeatIntervalMs);
    this.#timer.unref();
  }

  accept(socket: WebSocket): void {
    const connection: Connection = { socket, subscriptions: new Map(), alive: true };
    this.#connections.add(connection);
    socket.on('pong', () => {
      connection.alive = true;
    });
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        this.#sendError(connection, ERROR_CODES.BAD_FRAME, 'binary frames are not part of the protocol');
        return;
      }
      this.#onFrame(connection, data.toString());
    });
    socket.on('close', () => {
      this.#connections.delete(connection);
    });
    socket.on('error', (err) => {
      this.#log.debug({ err }, 'socket error');
    });
    const welcome: WelcomeFrame = { type: 'welcome', protocol: PROTOCOL_VERSION, server: this.#options.serverId, cursor: this.#view.cursor };
    this.#send(connection, JSON.stringify(welcome));
  }

  /** Delivers changes, in order, to every subscription. */
  broadcast(changes: readonly TableChange[]): void {
    if (changes.length === 0 || this.#connections.size === 0) return;
    const encoded = new Map<string, Buffer[]>();
    for (const connection of this.#connections) {
      for (const id of connection.subscriptions.keys()) {
        let frames = encoded.get(id);
        if (!frames) {
          frames = changes.map((change) => Buffer.from(JSON.stringify(changeFrame(id, change))));
          encoded.set(id, frames);
        }
        for (const frame of frames) this.#send(connection, frame);
      }
    }
  }

  /** Closes every connection with the given code; clients reconnect and resume. */
  closeAll(code: number, reason: string): void {
    if (this.#timer) clearInterval(this.#timer);
    for (const connection of this.#connections) connection.socket.close(code, reason);
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
      case 'unsubscribe':
        if (!connection.subscriptions.delete(frame.id)) {
          this.#sendError(connection, ERROR_CODES.UNKNOWN_SUBSCRIPTION, `no subscription "${frame.id}"`, frame.id);
        }
        return;
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
    // Snapshot and registration in the same tick: the next broadcast starts right after `cursor`.
    const rows = this.#view.rows();
    const cursor = this.#view.cursor;
    const chunk = this.#options.snapshotChunkRows;
    for (let start = 0; start === 0 || start < rows.length; start += chunk) {
      const snapshot: SnapshotFrame = {
        type: 'snapshot',
        id: frame.id,
        table: 'orders',
        rows: rows.slice(start, start + chunk),
        cursor,
        done: start + chunk >= rows.length,
      };
      this.#send(connection, JSON.stringify(snapshot));
    }
    connection.subscriptions.set(frame.id, frame.table);
  }

  #tick(): void {
    const heartbeat = Buffer.from(JSON.stringify({ type: 'heartbeat', cursor: this.#view.cursor } satisfies HeartbeatFrame));
    for (const connection of this.#connections) {
      if (!connection.alive) {
        this.#log.info('closing a connection that missed its pong');
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
      if (connection.subscriptions.size > 0) this.#send(connection, heartbeat);
    }
  }

  #sendError(connection: Connection, code: string, message: string, id?: string): void {
    const frame: ErrorFrame = id === undefined ? { type: 'error', code, message } : { type: 'error', code, message, id };
    this.#send(connection, JSON.stringify(frame));
  }

  #send(connection: Connection, data: string | Buffer): void {
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    connection.socket.send(data, { binary: false });
  }
}

function changeFrame(id: string, change: TableChange): ChangeFrame {
  return {
    type: 'change',
    id,
    table: 'orders',
    op: change.op,
    key: change.key,
    row: change.row,
    oldRow: change.oldRow,
    changed: [...change.changed],
    commitTime: change.commitTime,
    cursor: change.cursor,
  };
}
