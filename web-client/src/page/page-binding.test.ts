import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OrdersLiveClient, type AppliedChange, type ConnectionState, type SocketLike } from '@orders-live/client';
import type { OrderRow } from '@orders-live/protocol';
import { bindPage, type Summary } from './page-binding.js';
import { formatConnectionState, formatGap } from './format.js';

const NOW = Date.UTC(2026, 0, 1);

function order(id: number, status: OrderRow['status'] = 'pending'): OrderRow {
  const at = '2025-01-02T03:04:05.123456Z';
  return { id, customer_name: `Customer ${id}`, product_name: 'Widget', status, quantity: 1, amount: '19.90', created_at: at, updated_at: at };
}

/** The server end of a socket, driven by the test. */
class FakeSocket implements SocketLike {
  readonly sent: unknown[] = [];
  readonly #listeners = new Map<string, ((event: never) => void)[]>();
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {}
  addEventListener(type: string, listener: (event: never) => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }
  fire(type: 'open' | 'message' | 'close', event?: unknown): void {
    for (const listener of this.#listeners.get(type) ?? []) (listener as (event: unknown) => void)(event);
  }
  receive(frame: object): void {
    this.fire('message', { data: JSON.stringify(frame) });
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const client = new OrdersLiveClient(
    { url: 'ws://orders.test/ws' },
    {
      createSocket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      setTimeout: (run, ms) => setTimeout(run, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      now: () => Date.now(),
      random: () => 0.5,
    },
  );
  const screen = { state: '', rows: [] as number[], summary: undefined as Summary | undefined, warnings: [] as string[] };
  const rows = new Map<number, OrderRow>();
  const unbind = bindPage(client, {
    display: {
      showConnectionState: (state: ConnectionState, now: number) => (screen.state = formatConnectionState(state, now)),
      replaceRows: (all) => {
        rows.clear();
        for (const row of all) rows.set(row.id, row);
        screen.rows = [...rows.keys()];
      },
      applyChange: (change: AppliedChange) => {
        if (change.row) rows.set(change.id, change.row);
        else rows.delete(change.id);
        screen.rows = [...rows.keys()].sort((a, b) => a - b);
      },
      showSummary: (summary) => (screen.summary = summary),
    },
    now: () => Date.now(),
    warn: (message) => screen.warnings.push(message),
    setInterval: (run, ms) => setInterval(run, ms),
    clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
  });
  const socket = () => sockets.at(-1)!;
  const connectLive = () => {
    client.connect();
    socket().fire('open');
    socket().receive({ type: 'welcome', protocol: 2, server: 'ws-a', cursor: '0:10' });
    socket().receive({ type: 'snapshot', id: 'orders', table: 'orders', rows: [order(1), order(2)], cursor: '0:10', done: true });
  };
  return { client, screen, socket, connectLive, unbind };
}

const change = (op: 'insert' | 'delete', row: OrderRow, cursor: string, commitTime: number) => ({
  type: 'transaction',
  id: 'orders',
  table: 'orders',
  txId: row.id,
  commitTime,
  cursor,
  changes: [{ op, key: { id: row.id }, row: op === 'delete' ? null : row, oldRow: op === 'delete' ? row : null, changed: Object.keys(row), cursor }],
});

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('bindPage', () => {
  it('shows the snapshot, then each change with its commit → screen latency', () => {
    const { screen, socket, connectLive } = setup();
    expect(screen.state).toBe('offline');
    connectLive();
    expect(screen.state).toBe('live');
    expect(screen.rows).toEqual([1, 2]);
    expect(screen.summary).toEqual({ rows: 2, cursor: '0:10', latencyMs: undefined, invalidFrames: 0, server: 'ws-a', error: undefined, gap: { kind: 'none' } });

    socket().receive(change('insert', order(3), '0:11', NOW - 40));
    socket().receive(change('delete', order(1), '0:12', NOW - 25));
    expect(screen.rows).toEqual([2, 3]);
    expect(screen.summary).toMatchObject({ rows: 2, cursor: '0:12', latencyMs: 25 });
  });

  it('counts down to the next attempt, then says how the gap was closed', () => {
    const { screen, socket, connectLive } = setup();
    connectLive();
    expect(formatGap(screen.summary!.gap)).toBe('');

    socket().fire('close', { code: 1006, reason: '' }); // first retry: 250–500 ms (random 0.5 → 375)
    expect(screen.state).toBe('reconnecting in 1s');
    vi.advanceTimersByTime(375);
    expect(screen.state).toBe('connecting');
    socket().fire('open');
    expect(socket().sent).toEqual([{ type: 'subscribe', id: 'orders', table: 'orders', cursor: '0:10' }]);
    socket().receive({ type: 'resumed', id: 'orders', from: '0:10', replayed: 3 });
    expect(screen.state).toBe('live');
    expect(formatGap(screen.summary!.gap)).toBe('resumed 3 changes');

    socket().fire('close', { code: 1006, reason: '' });
    vi.advanceTimersByTime(500);
    socket().fire('open');
    socket().receive({ type: 'reset', id: 'orders', cursor: '0:10', reason: 'cursor-too-old' });
    expect(formatGap(screen.summary!.gap)).toBe('reloaded the snapshot');
    expect(screen.rows).toEqual([1, 2]);
    socket().receive({ type: 'snapshot', id: 'orders', table: 'orders', rows: [order(7)], cursor: '0:40', done: true });
    expect(screen.rows).toEqual([7]);
    expect(screen.summary).toMatchObject({ rows: 1, cursor: '0:40' });
  });

  it('redraws the countdown every second while a long wait lasts', () => {
    const { client, screen, socket, connectLive } = setup();
    connectLive();
    for (let i = 0; i < 4; i += 1) {
      socket().fire('close', { code: 1006, reason: '' });
      if (i < 3) vi.advanceTimersByTime((client.state as { retryAt: number }).retryAt - Date.now());
    }
    expect(client.state).toMatchObject({ name: 'reconnecting', attempt: 4 }); // ceiling 4 s → 3 s at random 0.5
    expect(screen.state).toBe('reconnecting in 3s');
    vi.advanceTimersByTime(1_000);
    expect(screen.state).toBe('reconnecting in 2s');
  });

  it('shows error frames until the next connection, and counts invalid frames', () => {
    const { screen, socket, connectLive } = setup();
    connectLive();
    socket().receive({ type: 'error', code: 'E_BAD_FILTER', message: 'no such column', id: 'orders' });
    socket().fire('message', { data: 'not json' });
    expect(screen.summary).toMatchObject({ error: 'E_BAD_FILTER: no such column', invalidFrames: 1 });
    expect(screen.warnings).toEqual(['orders-live: ignored an invalid frame (not JSON)']);

    socket().fire('close', { code: 1001, reason: '' });
    socket().fire('open');
    socket().receive({ type: 'welcome', protocol: 2, server: 'ws-b', cursor: '0:10' });
    expect(screen.summary).toMatchObject({ error: undefined, server: 'ws-b', invalidFrames: 1 });
  });
});
