/** What an OrdersLiveClient is made with: its options, the world it talks to (deps), and their defaults. */
import type { SubscriptionFilter, WindowQuery } from '@orders-live/protocol';
import type { BackoffSettings } from './backoff.js';
import type { CreateSocket } from './socket.js';

/** The page holds one subscription, so one id is enough unless a caller says otherwise. */
export const DEFAULT_SUBSCRIPTION_ID = 'orders';
/** A socket still opening after 10 s is given up: browsers can take minutes to fail on a dead host. */
export const CONNECT_TIMEOUT_MS = 10_000;
/**
 * An open socket that delivers nothing for 45 s is taken for dead and replaced: the server sends a
 * heartbeat every 15 s by default (HEARTBEAT_INTERVAL_MS), so that is three missed in a row.
 */
export const IDLE_TIMEOUT_MS = 45_000;

export interface OrdersLiveClientOptions {
  /** The websocket-service endpoint, ws:// or wss://. */
  readonly url: string;
  /** Default DEFAULT_SUBSCRIPTION_ID ("orders"). */
  readonly subscriptionId?: string | undefined;
  /** The table to follow, as the welcome frame names it; default "orders" (DEFAULT_TABLE). */
  readonly table?: string | undefined;
  /** Only rows matching this filter (evaluated by the server; enter/leave keep the view right). */
  readonly filter?: SubscriptionFilter | undefined;
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
