/**
 * The client's unit-test harness (not exported by the package): a socket the test drives, a client
 * made with it on the test's fake timers, and every event it emits, recorded.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import type { ClientFrame } from '@orders-live/protocol';
import { OrdersLiveClient, type ClientEvents, type ConnectionState, type OrdersLiveClientOptions } from './index.js';
import type { SocketCloseEvent, SocketLike, SocketMessageEvent } from './socket.js';
import { order, ordersInfo, snapshot } from './fixtures.js';

export const URL = 'ws://orders.test/ws';
export const START = Date.UTC(2026, 0, 1);

/** A socket the test drives: it opens, receives frames and closes when told to. */
export class FakeSocket implements SocketLike {
  readonly sent: ClientFrame[] = [];
  closedByClient: number | undefined;
  readonly #listeners = new Map<string, ((event: never) => void)[]>();

  constructor(
    readonly url: string,
    readonly protocols?: string[],
  ) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as ClientFrame);
  }
  close(code?: number): void {
    this.closedByClient = code;
  }
  addEventListener(type: string, listener: (event: never) => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }

  // ── what the server / network does ──
  open(): void {
    this.#fire('open', undefined);
  }
  receive(frame: unknown): void {
    this.#fire('message', {
      data: typeof frame === 'string' || frame instanceof ArrayBuffer ? frame : JSON.stringify(frame),
    } satisfies SocketMessageEvent);
  }
  serverClose(code: number, reason = ''): void {
    this.#fire('error', undefined);
    this.#fire('close', { code, reason } satisfies SocketCloseEvent);
  }
  #fire(type: string, event: unknown): void {
    for (const listener of this.#listeners.get(type) ?? []) (listener as (event: unknown) => void)(event);
  }
}

export function setup(options: Partial<OrdersLiveClientOptions> & { random?: number; throwOnCreate?: boolean } = {}) {
  const sockets: FakeSocket[] = [];
  const states: ConnectionState[] = [];
  const events: { [K in keyof ClientEvents]: ClientEvents[K][] } = {
    state: states,
    snapshot: [],
    change: [],
    transaction: [],
    window: [],
    resumed: [],
    reset: [],
    'server-error': [],
    'invalid-frame': [],
    welcome: [],
    columns: [],
    'stream-status': [],
    freshness: [],
  };
  const client = new OrdersLiveClient(
    { url: URL, ...options },
    {
      createSocket: (url, protocols) => {
        if (options.throwOnCreate) throw new SyntaxError('bad url');
        const socket = new FakeSocket(url, protocols);
        sockets.push(socket);
        return socket;
      },
      setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      now: () => Date.now(),
      random: () => options.random ?? 0.5,
    },
  );
  for (const name of Object.keys(events) as (keyof ClientEvents)[]) {
    client.on(name, (payload: unknown) => (events[name] as unknown[]).push(payload));
  }
  const last = (): FakeSocket => {
    const socket = sockets.at(-1);
    if (!socket) throw new Error('no socket opened');
    return socket;
  };
  const names = () => states.map((state) => state.name);
  return { client, sockets, events, states, names, last };
}

/** Connects and completes a snapshot of `rows` at `cursor`. */
export function live(options: Parameters<typeof setup>[0] = {}, rows = [order(1), order(2)], cursor = '0:10') {
  const context = setup(options);
  context.client.connect();
  context.last().open();
  context.last().receive({ type: 'welcome', protocol: 3, server: 'ws-a', tables: [ordersInfo(cursor)] });
  context.last().receive(snapshot(rows, cursor));
  return context;
}

/** Runs the clock to the pending retry (and lets promises settle). */
export async function untilRetry(client: OrdersLiveClient): Promise<void> {
  const state = client.state;
  if (state.name !== 'reconnecting') throw new Error(`not reconnecting but ${state.name}`);
  await vi.advanceTimersByTimeAsync(state.retryAt - Date.now());
}

/** Fake timers, the clock at START, for every test of the file that calls it. */
export function useFakeClock(): void {
  beforeEach(() => {
    vi.useFakeTimers({ now: START });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
