/**
 * The page's connection to the websocket-service: one socket at a time, reopened with backoff
 * until stop(). Knows nothing of frames; the listener subscribes on open and reads messages.
 *
 *              start()              socket opens
 *   offline ──────────▶ connecting ──────────────▶ live
 *      ▲                    │                       │
 *      │          closed / connect timeout          │ closed
 *      │                    ▼                       ▼
 *      │               reconnecting ◀──────────── (wait reconnectDelayMs, open a new socket)
 *      │                    │  socket opens ─▶ live
 *      └── stop(), from any state
 *
 * "connecting" is only the first attempt after start(); each later attempt is "reconnecting".
 * The retry count resets when a socket delivers a message (the server is working, not just
 * accepting and dropping connections).
 *
 * What talks to the world is passed in: the socket factory, the timer, the randomness.
 */
import { CLOSE_CODES } from '@orders-live/protocol';
import { reconnectDelayMs } from './backoff.js';

export const CONNECTION_STATES = ['connecting', 'live', 'reconnecting', 'offline'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/** A socket still opening after this long is given up: browsers can take minutes on a dead host. */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface SocketHandlers {
  onOpen(): void;
  onMessage(data: unknown): void;
  /** Called once, however the socket ended (refused, failed, closed by either side). */
  onClose(code: number, reason: string): void;
}

export interface Socket {
  send(text: string): void;
  close(code: number, reason: string): void;
}

/** Opens a socket to `url`; may throw (a bad URL). Handlers must be called asynchronously. */
export type OpenSocket = (url: string, handlers: SocketHandlers) => Socket;

/** Runs `run` after `delayMs`; returns a function that cancels it. */
export type Schedule = (run: () => void, delayMs: number) => () => void;

export interface ConnectionDeps {
  readonly openSocket: OpenSocket;
  readonly schedule: Schedule;
  /** In [0, 1), as Math.random. */
  readonly random: () => number;
}

export interface ConnectionListener {
  onState(state: ConnectionState): void;
  /** A socket opened: send what starts the session. */
  onOpen(send: (text: string) => void): void;
  onMessage(data: unknown): void;
}

export class Connection {
  readonly #url: string;
  readonly #deps: ConnectionDeps;
  readonly #listener: ConnectionListener;
  #state: ConnectionState = 'offline';
  #socket: Socket | undefined;
  /** Identifies the current attempt; events from older sockets carry another token and are ignored. */
  #token: object | undefined;
  #cancelTimer: (() => void) | undefined;
  #retries = 0;

  constructor(url: string, deps: ConnectionDeps, listener: ConnectionListener) {
    this.#url = url;
    this.#deps = deps;
    this.#listener = listener;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  start(): void {
    if (this.#state !== 'offline') return;
    this.#retries = 0;
    this.#open('connecting');
  }

  stop(): void {
    if (this.#state === 'offline') return;
    this.#cancelPending();
    this.#setState('offline');
  }

  #open(state: 'connecting' | 'reconnecting'): void {
    this.#setState(state);
    const token = {};
    this.#token = token;
    const current = () => this.#token === token;
    try {
      this.#socket = this.#deps.openSocket(this.#url, {
        onOpen: () => {
          if (!current()) return;
          this.#clearTimer();
          this.#setState('live');
          const socket = this.#socket;
          this.#listener.onOpen((text) => socket?.send(text));
        },
        onMessage: (data) => {
          if (!current()) return;
          this.#retries = 0;
          this.#listener.onMessage(data);
        },
        onClose: () => {
          if (current()) this.#retry();
        },
      });
    } catch {
      this.#retry(); // e.g. a URL the browser refuses; keep trying rather than stop silently
      return;
    }
    this.#cancelTimer = this.#deps.schedule(() => {
      this.#cancelTimer = undefined;
      if (current()) this.#retry();
    }, CONNECT_TIMEOUT_MS);
  }

  #retry(): void {
    this.#cancelPending();
    const delay = reconnectDelayMs(this.#retries, this.#deps.random());
    this.#retries += 1;
    this.#setState('reconnecting');
    this.#cancelTimer = this.#deps.schedule(() => {
      this.#cancelTimer = undefined;
      this.#open('reconnecting');
    }, delay);
  }

  /** Forgets the current socket (closing it) and any timer. */
  #cancelPending(): void {
    this.#clearTimer();
    const socket = this.#socket;
    this.#socket = undefined;
    this.#token = undefined;
    socket?.close(CLOSE_CODES.NORMAL, 'client closed');
  }

  #clearTimer(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#listener.onState(state);
  }
}
