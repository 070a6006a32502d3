import { describe, expect, it, vi } from 'vitest';
import { CLOSE_CODES } from '@orders-live/protocol';
import { CONNECT_TIMEOUT_MS, IDLE_TIMEOUT_MS, INVALID_FRAME_CODES } from './index.js';
import { START, URL, live, setup, useFakeClock } from './client-harness.js';
import { enter, insert, leave, order, ordersInfo, remove, reset, resumed, snapshot, update } from './fixtures.js';

useFakeClock();

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

    last().receive({ type: 'welcome', protocol: 3, server: 'ws-a', tables: [ordersInfo('0:9')] });
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
    last().receive({ type: 'heartbeat', table: 'orders', cursor: '0:50' });
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
    last().receive({ type: 'heartbeat', table: 'orders', cursor: '0:1' });
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
