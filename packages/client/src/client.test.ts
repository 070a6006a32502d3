import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLOSE_CODES, ORDERS_COLUMNS, type ClientFrame, type ColumnInfo, type DegradedReport } from '@orders-live/protocol';
import {
  CONNECT_TIMEOUT_MS,
  IDLE_TIMEOUT_MS,
  OrdersLiveClient,
  type ClientEvents,
  type ConnectionState,
  type OrdersLiveClientOptions,
  INVALID_FRAME_CODES,
} from './index.js';
import type { SocketCloseEvent, SocketLike, SocketMessageEvent } from './socket.js';
import { enter, insert, leave, order, remove, reset, resumed, snapshot, update } from './fixtures.js';

const URL = 'ws://orders.test/ws';
const START = Date.UTC(2026, 0, 1);

/** A socket the test drives: it opens, receives frames and closes when told to. */
class FakeSocket implements SocketLike {
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

function setup(options: Partial<OrdersLiveClientOptions> & { random?: number; throwOnCreate?: boolean } = {}) {
  const sockets: FakeSocket[] = [];
  const states: ConnectionState[] = [];
  const events: { [K in keyof ClientEvents]: ClientEvents[K][] } = {
    state: states,
    snapshot: [],
    change: [],
    resumed: [],
    reset: [],
    'server-error': [],
    'invalid-frame': [],
    welcome: [],
    columns: [],
    'stream-status': [],
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
function live(options: Parameters<typeof setup>[0] = {}, rows = [order(1), order(2)], cursor = '0:10') {
  const context = setup(options);
  context.client.connect();
  context.last().open();
  context.last().receive({ type: 'welcome', protocol: 2, server: 'ws-a', cursor });
  context.last().receive(snapshot(rows, cursor));
  return context;
}

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('OrdersLiveClient', () => {
  it('does nothing until connect(), then subscribes and goes live after the last snapshot chunk', () => {
    const { client, sockets, events, names, last } = setup();
    expect(client.state).toEqual({ name: 'offline', reason: 'idle' });
    expect(sockets).toHaveLength(0);

    client.connect();
    expect(last().url).toBe(URL);
    expect(names()).toEqual(['connecting']);
    last().open();
    expect(last().sent).toEqual([{ type: 'subscribe', id: 'orders', table: 'orders' }]);

    last().receive({ type: 'welcome', protocol: 2, server: 'ws-a', cursor: '0:9' });
    last().receive(snapshot([order(3), order(1)], '0:9', false));
    expect(client.state.name).toBe('connecting');
    expect(client.size).toBe(0);

    last().receive(snapshot([order(2)], '0:9', true));
    expect(names()).toEqual(['connecting', 'live']);
    expect(client.rows().map((row) => row.id)).toEqual([1, 2, 3]);
    expect(client.cursor).toBe('0:9');
    expect(client.server).toBe('ws-a');
    expect(events.snapshot).toEqual([{ rows: [order(1), order(2), order(3)], cursor: '0:9' }]);
  });

  it('sends its filter and subscription id', () => {
    const { client, last } = setup({ subscriptionId: 'mine', filter: { status: { in: ['pending'] } } });
    client.connect();
    last().open();
    expect(last().sent).toEqual([{ type: 'subscribe', id: 'mine', table: 'orders', filter: { status: { in: ['pending'] } } }]);
  });

  it('applies change frames with their op, including enter and leave', () => {
    const { client, events, last } = live();
    last().receive(insert(order(3), '0:11', START - 40));
    last().receive(update(order(1), order(1, { status: 'shipped' }), '0:12'));
    last().receive(remove(order(2), '0:13'));
    last().receive(enter(order(7), order(7, { status: 'shipped' }), '0:14'));
    last().receive(leave(order(3), order(3, { status: 'delivered' }), '0:15'));

    expect(events.change.map((change) => [change.op, change.id])).toEqual([
      ['insert', 3],
      ['update', 1],
      ['delete', 2],
      ['enter', 7],
      ['leave', 3],
    ]);
    expect(events.change[0]?.commitTime).toBe(START - 40);
    expect(client.rows()).toEqual([order(1, { status: 'shipped' }), order(7, { status: 'shipped' })]);
    expect(client.get(7)?.status).toBe('shipped');
    expect(client.cursor).toBe('0:15');
    expect(client.stats.changesApplied).toBe(5);
  });

  it('drops a change whose cursor is not after its own, counting it as a duplicate', () => {
    const { client, events, last } = live();
    last().receive(insert(order(3), '0:11'));
    last().receive(insert(order(3), '0:11'));
    last().receive(remove(order(1), '0:7'));
    expect(events.change).toHaveLength(1);
    expect(client.size).toBe(3);
    expect(client.stats).toMatchObject({ changesApplied: 1, duplicatesDropped: 2 });
  });

  it('reconnects after a close and resumes from the last cursor applied, not the last heartbeat', () => {
    const { client, sockets, names, last, states } = live();
    last().receive(insert(order(3), '0:11'));
    last().receive({ type: 'heartbeat', cursor: '0:50' });
    expect(client.serverCursor).toBe('0:50');

    last().serverClose(1006);
    expect(states.at(-1)).toEqual({ name: 'reconnecting', attempt: 1, retryAt: START + 375 });
    vi.advanceTimersByTime(374);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    expect(names()).toEqual(['connecting', 'live', 'reconnecting', 'connecting']);

    last().open();
    expect(last().sent).toEqual([{ type: 'subscribe', id: 'orders', table: 'orders', cursor: '0:11' }]);
    expect(client.stats.reconnects).toBe(1);
  });

  it('keeps the view when the server answers resumed, then applies what follows once', () => {
    const { client, events, names, last } = live();
    last().serverClose(1006);
    vi.runOnlyPendingTimers();
    last().open();
    last().receive(resumed('0:10', 2));
    expect(names().at(-1)).toBe('live');
    expect(events.resumed).toEqual([{ from: '0:10', replayed: 2 }]);
    expect(events.snapshot).toHaveLength(1);
    expect(client.rows().map((row) => row.id)).toEqual([1, 2]);

    last().receive(insert(order(3), '0:11'));
    last().receive(insert(order(3), '0:11'));
    last().receive(remove(order(1), '0:12'));
    expect(client.rows().map((row) => row.id)).toEqual([2, 3]);
    expect(client.stats).toMatchObject({ resumes: 1, resets: 0, changesApplied: 2, duplicatesDropped: 1 });
  });

  it('on reset keeps the old rows until the snapshot that follows replaces them', () => {
    const { client, events, last } = live();
    last().serverClose(CLOSE_CODES.NORMAL);
    vi.runOnlyPendingTimers();
    last().open();
    last().receive(reset('0:10', 'cursor-too-old'));
    expect(events.reset).toEqual([{ cursor: '0:10', reason: 'cursor-too-old' }]);
    expect(client.state.name).toBe('connecting');
    expect(client.size).toBe(2);

    last().receive(snapshot([order(5)], '0:90', false));
    expect(client.size).toBe(2);
    last().receive(snapshot([order(6)], '0:90', true));
    expect(client.state.name).toBe('live');
    expect(client.rows().map((row) => row.id)).toEqual([5, 6]);
    expect(client.cursor).toBe('0:90');
    expect(events.snapshot.at(-1)).toEqual({ rows: [order(5), order(6)], cursor: '0:90' });
    expect(client.stats).toMatchObject({ resets: 1, resumes: 0 });
  });

  it('backs off with jitter while attempts fail, and starts over once live', () => {
    const waits = (random: number, count: number) => {
      const { client, states, last } = setup({ random });
      client.connect();
      const result: number[] = [];
      for (let i = 0; i < count; i += 1) {
        last().serverClose(1006);
        const state = states.at(-1);
        if (state?.name !== 'reconnecting') throw new Error(`expected reconnecting, got ${state?.name}`);
        expect(state.attempt).toBe(i + 1);
        result.push(state.retryAt - Date.now());
        vi.advanceTimersByTime(state.retryAt - Date.now());
      }
      return { result, client, states, last };
    };
    expect(waits(0.999999, 7).result).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(waits(0, 7).result).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);

    const { states, last } = waits(0.999999, 4);
    last().open();
    last().receive(snapshot([], '0:1'));
    last().serverClose(1006);
    expect(states.at(-1)).toMatchObject({ name: 'reconnecting', attempt: 1 });
    expect(states.at(-1)).toHaveProperty('retryAt', Date.now() + 500);
  });

  it.each([
    ['SLOW_CONSUMER', CLOSE_CODES.SLOW_CONSUMER],
    ['GOING_AWAY', CLOSE_CODES.GOING_AWAY],
  ])('reconnects at once after a close with %s, with backoff only if that retry fails too', (_, code) => {
    const { client, sockets, names, last, states } = live();
    last().serverClose(code);
    expect(sockets).toHaveLength(2);
    expect(names()).toEqual(['connecting', 'live', 'connecting']);
    last().open();
    expect(last().sent[0]).toMatchObject({ cursor: '0:10' });

    last().serverClose(code);
    expect(states.at(-1)).toMatchObject({ name: 'reconnecting', attempt: 1 });
    vi.runOnlyPendingTimers();
    last().open();
    last().receive(resumed('0:10', 0));
    expect(client.state.name).toBe('live');

    last().serverClose(code);
    expect(sockets).toHaveLength(4);
    expect(client.state.name).toBe('connecting');
  });

  it('gives up on a socket that does not open in time, and on one that falls silent', () => {
    const { client, sockets, last, names } = setup();
    client.connect();
    vi.advanceTimersByTime(CONNECT_TIMEOUT_MS);
    expect(sockets[0]?.closedByClient).toBe(CLOSE_CODES.NORMAL);
    expect(names()).toEqual(['connecting', 'reconnecting']);
    vi.runOnlyPendingTimers();

    last().open();
    last().receive(snapshot([], '0:1'));
    vi.advanceTimersByTime(IDLE_TIMEOUT_MS - 1);
    last().receive({ type: 'heartbeat', cursor: '0:1' });
    vi.advanceTimersByTime(IDLE_TIMEOUT_MS - 1);
    expect(client.state.name).toBe('live');
    vi.advanceTimersByTime(1);
    expect(client.state.name).toBe('reconnecting');
    expect(sockets[1]?.closedByClient).toBe(CLOSE_CODES.NORMAL);
  });

  it('keeps retrying when the socket cannot even be created', () => {
    const { client, names } = setup({ throwOnCreate: true });
    client.connect();
    expect(names()).toEqual(['connecting', 'reconnecting']);
    vi.advanceTimersByTime(60_000);
    expect(client.state.name).toBe('reconnecting');
  });

  it('goes offline on close(): closes the socket, ignores its late events, opens no other', () => {
    const { client, sockets, events, last } = live();
    const socket = last();
    client.close();
    expect(client.state).toEqual({ name: 'offline', reason: 'closed' });
    expect(socket.closedByClient).toBe(CLOSE_CODES.NORMAL);

    socket.receive(insert(order(3), '0:11'));
    socket.serverClose(CLOSE_CODES.GOING_AWAY);
    vi.advanceTimersByTime(600_000);
    client.setNetworkOnline(false);
    client.setNetworkOnline(true);
    expect(sockets).toHaveLength(1);
    expect(events.change).toEqual([]);
    expect(events.state.at(-1)).toEqual({ name: 'offline', reason: 'closed' });
    expect(() => client.connect()).toThrow(/close/);
  });

  it('stops retrying while the network is offline and resumes at once when it is back', () => {
    const { client, sockets, names, last } = live();
    last().serverClose(1006);
    client.setNetworkOnline(false);
    expect(client.state).toEqual({ name: 'offline', reason: 'network' });
    vi.advanceTimersByTime(600_000);
    expect(sockets).toHaveLength(1);

    client.setNetworkOnline(true);
    expect(sockets).toHaveLength(2);
    expect(names()).toEqual(['connecting', 'live', 'reconnecting', 'offline', 'connecting']);
    last().open();
    expect(last().sent[0]).toMatchObject({ cursor: '0:10' });
  });

  it('waits for the network when connect() is called offline', () => {
    const { client, sockets } = setup();
    client.setNetworkOnline(false);
    client.connect();
    expect(client.state).toEqual({ name: 'offline', reason: 'network' });
    client.setNetworkOnline(true);
    expect(sockets).toHaveLength(1);
  });

  it('counts messages that are not frames, reports each with its code, and carries on', () => {
    const { client, events, last } = live();
    last().receive('not json');
    last().receive(new ArrayBuffer(4));
    last().receive({ type: 'mystery' });
    last().receive({ ...insert(order(3), '0:11'), row: { ...order(3), amount: 12.5 } });
    expect(client.stats.invalidFrames).toBe(4);
    expect(events['invalid-frame'].map((event) => event.code)).toEqual(Array(4).fill(INVALID_FRAME_CODES.NOT_A_FRAME));
    expect(events['invalid-frame'][0]).toMatchObject({ reason: 'not JSON', data: 'not json' });

    last().receive(insert(order(3), '0:11'));
    expect(client.size).toBe(3);
    expect(client.state.name).toBe('live');
  });

  it('refuses a frame against the protocol whole, and subscribes afresh from its cursor', () => {
    const { client, events, last, sockets } = live();
    last().receive(insert(order(3), 'garbage'));
    expect(events['invalid-frame'].map((event) => event.code)).toEqual([INVALID_FRAME_CODES.RULE]);
    expect(client.size).toBe(2);
    expect(sockets[0]?.closedByClient).toBe(CLOSE_CODES.NORMAL);
    expect(client.state.name).toBe('reconnecting');
    vi.runOnlyPendingTimers();
    last().open();
    expect(last().sent[0]).toMatchObject({ type: 'subscribe', cursor: '0:10' });
  });

  it('passes error frames on without changing state', () => {
    const { client, events, last } = live();
    last().receive({ type: 'error', code: 'E_BAD_FILTER', message: 'no such column', id: 'orders' });
    expect(events['server-error']).toEqual([{ type: 'error', code: 'E_BAD_FILTER', message: 'no such column', id: 'orders' }]);
    expect(client.state.name).toBe('live');
  });

  it('does not go live when a snapshot listener closes the client', () => {
    const { client, last } = setup();
    client.on('snapshot', () => client.close());
    client.connect();
    last().open();
    last().receive(snapshot([order(1)], '0:1'));
    expect(client.state).toEqual({ name: 'offline', reason: 'closed' });
    expect(client.size).toBe(1);
  });
});

/** Runs the clock to the pending retry (and lets promises settle). */
async function untilRetry(client: OrdersLiveClient): Promise<void> {
  const state = client.state;
  if (state.name !== 'reconnecting') throw new Error(`not reconnecting but ${state.name}`);
  await vi.advanceTimersByTimeAsync(state.retryAt - Date.now());
}

describe('OrdersLiveClient with an access token', () => {
  it('opens with the protocol version alone when it has no token', () => {
    const { client, last } = setup();
    client.connect();
    expect(last().protocols).toEqual(['orders-live.v2']);
  });

  it('sends a string token as the bearer subprotocol on every socket', async () => {
    const { client, sockets, last } = setup({ token: 'tok.en.1' });
    client.connect();
    last().serverClose(1006);
    await untilRetry(client);
    expect(sockets.map((socket) => socket.protocols)).toEqual([
      ['orders-live.v2', 'bearer', 'tok.en.1'],
      ['orders-live.v2', 'bearer', 'tok.en.1'],
    ]);
    expect(client.state.name).toBe('connecting');
  });

  it('asks a token function before every (re)connect, synchronous or not', async () => {
    let issued = 0;
    const { client, sockets, last } = setup({ token: async () => `fresh-${++issued}` });
    client.connect();
    expect(sockets).toHaveLength(0);
    expect(client.state.name).toBe('connecting');
    await vi.advanceTimersByTimeAsync(0);
    expect(last().protocols).toEqual(['orders-live.v2', 'bearer', 'fresh-1']);
    last().serverClose(1006);
    await untilRetry(client);
    expect(sockets.map((socket) => socket.protocols)).toEqual([
      ['orders-live.v2', 'bearer', 'fresh-1'],
      ['orders-live.v2', 'bearer', 'fresh-2'],
    ]);
  });

  it('reconnects at once with a fresh token and resumes when the server closes with TOKEN_EXPIRED', () => {
    let issued = 0;
    const { client, sockets, last, names } = live({ token: () => `fresh-${++issued}` });
    last().serverClose(CLOSE_CODES.TOKEN_EXPIRED, 'access token expired');
    expect(sockets).toHaveLength(2);
    expect(last().protocols).toEqual(['orders-live.v2', 'bearer', 'fresh-2']);
    last().open();
    expect(last().sent).toEqual([{ type: 'subscribe', id: 'orders', table: 'orders', cursor: '0:10' }]);
    last().receive(resumed('0:10', 0));
    expect(names()).toEqual(['connecting', 'live', 'connecting', 'live']);
    expect(client.stats.resumes).toBe(1);
  });

  it('counts a token function that throws or rejects as a failed attempt, and tries again later', async () => {
    let calls = 0;
    const { client, sockets, names } = setup({
      token: () => {
        calls += 1;
        if (calls === 1) throw new Error('login service down');
        if (calls === 2) return Promise.reject(new Error('still down'));
        return 'finally';
      },
    });
    client.connect();
    expect(names()).toEqual(['connecting', 'reconnecting']);
    await untilRetry(client);
    expect(names()).toEqual(['connecting', 'reconnecting', 'connecting', 'reconnecting']);
    await untilRetry(client);
    expect(calls).toBe(3);
    expect(sockets.map((socket) => socket.protocols)).toEqual([['orders-live.v2', 'bearer', 'finally']]);
  });

  it('gives up on a token function that never answers after the connect timeout', async () => {
    const { client, names } = setup({ token: () => new Promise<string>(() => undefined) });
    client.connect();
    await vi.advanceTimersByTimeAsync(CONNECT_TIMEOUT_MS);
    expect(names()).toEqual(['connecting', 'reconnecting']);
  });

  it('ignores a token that arrives after close()', async () => {
    let resolve: (token: string) => void = () => undefined;
    const { client, sockets } = setup({ token: () => new Promise<string>((done) => (resolve = done)) });
    client.connect();
    client.close();
    resolve('late');
    await vi.advanceTimersByTimeAsync(0);
    expect(sockets).toHaveLength(0);
    expect(client.state).toEqual({ name: 'offline', reason: 'closed' });
  });
});

describe('OrdersLiveClient: columns and stream status', () => {
  const WITH_NOTE: ColumnInfo[] = [...ORDERS_COLUMNS, { name: 'note', kind: 'text', sourceType: 'TEXT', nullable: true }];
  const columns = (list: readonly ColumnInfo[], cursor: string, id = 'orders') => ({
    type: 'columns',
    id,
    table: 'orders',
    columns: list,
    cursor,
  });

  it('exposes the columns of its subscription, and after a schema change the new columns, then the rows afresh', () => {
    const context = setup();
    const { client, events, last } = context;
    client.connect();
    last().open();
    expect(client.columns).toBeUndefined();
    last().receive(columns(ORDERS_COLUMNS, '0:10'));
    last().receive(snapshot([order(1)], '0:10'));
    expect(client.columns).toEqual(ORDERS_COLUMNS);
    // A DDL: the new columns, then every row in the new shape (a snapshot the server chose to send).
    last().receive(columns(WITH_NOTE, '0:11'));
    const noted = { ...order(1), note: 'hi' };
    last().receive(snapshot([noted], '0:11'));
    expect(client.columns).toEqual(WITH_NOTE);
    expect(events.columns.map((e) => [e.columns.length, e.cursor])).toEqual([
      [ORDERS_COLUMNS.length, '0:10'],
      [WITH_NOTE.length, '0:11'],
    ]);
    expect(events.columns[0]?.change).toEqual({ added: [], removed: [], renamed: [], retyped: [] });
    expect(events.columns[1]?.change).toEqual({ added: [WITH_NOTE.at(-1)], removed: [], renamed: [], retyped: [] });
    expect(client.rows()).toEqual([noted]);
    // Another subscription's columns are not this view's.
    last().receive(columns(ORDERS_COLUMNS, '0:12', 'other'));
    expect(client.columns).toEqual(WITH_NOTE);
  });

  it('exposes the stream status: degraded with its gaps, then whole again', () => {
    const { client, events, last } = live();
    expect(client.degraded).toBeNull();
    const report: DegradedReport = {
      code: 'STREAM_GAP',
      reason: '1 record(s) of the topic do not decode',
      openGaps: 1,
      gaps: [{ partition: 0, offset: '41', code: 'DBZ_NOT_JSON', reason: 'record value is not JSON', row: 'id=1', at: START }],
    };
    last().receive({ type: 'stream-status', degraded: report });
    expect(client.degraded).toEqual(report);
    last().receive({ type: 'stream-status', degraded: null });
    expect(client.degraded).toBeNull();
    expect(events['stream-status']).toEqual([{ degraded: report }, { degraded: null }]);
    expect(events['invalid-frame']).toEqual([]);
  });

  it('refuses rows that do not fit the columns, with a stable code, and never applies them', () => {
    const { client, events, last } = live();
    // Rows before any columns frame are checked against the table as created.
    last().receive(insert({ ...order(3), note: 'x' } as never, '0:11'));
    expect(events['invalid-frame'].at(-1)).toMatchObject({ code: INVALID_FRAME_CODES.ROW_COLUMNS, reason: expect.stringMatching(/note/) });
    expect(client.get(3)).toBeUndefined();

    vi.runOnlyPendingTimers();
    last().open();
    last().receive(columns(WITH_NOTE, '0:10'));
    last().receive(resumed('0:10', 0));
    expect(client.state.name).toBe('live');
    // A value not of its column's kind: a number for a decimal, a string for an int.
    last().receive(insert({ ...order(4), amount: 12.5, note: null } as never, '0:12'));
    expect(events['invalid-frame'].at(-1)).toMatchObject({
      code: INVALID_FRAME_CODES.VALUE_KIND,
      reason: 'transaction 0:12: row 4, column amount: expected decimal text (decimal), got 12.5',
    });
    expect(client.get(4)).toBeUndefined();
    expect(client.cursor).toBe('0:10');

    vi.runOnlyPendingTimers();
    last().open();
    last().receive(columns(WITH_NOTE, '0:10'));
    last().receive(resumed('0:10', 1));
    last().receive(insert({ ...order(4), note: 'fits' }, '0:12'));
    expect(client.get(4)).toMatchObject({ id: 4, note: 'fits' });
  });

  it("checks a window subscription's rows too, and reports a rename as one", () => {
    const query = { orderBy: { column: 'id', direction: 'asc' }, limit: 10 } as const;
    const { client, events, last } = setup({ window: query });
    client.connect();
    last().open();
    const renamed = ORDERS_COLUMNS.map((column) => (column.name === 'product_name' ? { ...column, name: 'product' } : column));
    last().receive(columns(ORDERS_COLUMNS, '0:1'));
    last().receive(columns(renamed, '0:2'));
    expect(events.columns[1]?.change.renamed).toEqual([{ from: 'product_name', to: renamed[2] }]);
    const window = (rows: unknown[]) => ({
      type: 'window',
      id: 'orders',
      table: 'orders',
      rows,
      offset: 0,
      total: rows.length,
      counts: {},
      cursor: '0:2',
    });
    last().receive(window([order(1)]));
    expect(events['invalid-frame'].at(-1)).toMatchObject({ code: INVALID_FRAME_CODES.ROW_COLUMNS });
    expect(client.window).toBeUndefined();
    vi.runOnlyPendingTimers();
    last().open();
    last().receive(columns(renamed, '0:2'));
    const { product_name: product, ...rest } = order(1);
    last().receive(window([{ ...rest, product }]));
    expect(client.rows()).toEqual([{ ...rest, product }]);
    expect(client.state.name).toBe('live');
  });
});
