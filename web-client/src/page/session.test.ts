import { describe, expect, it } from 'vitest';
import { OrdersSession, type RowsUpdate, type Summary } from './session.js';
import { insert, order, snapshot, update } from './fixtures.js';

function setup(now = 1_000) {
  const updates: RowsUpdate[] = [];
  const summaries: Summary[] = [];
  const warnings: string[] = [];
  const session = new OrdersSession({
    display: { applyUpdate: (u) => updates.push(u), showSummary: (s) => summaries.push(s) },
    now: () => now,
    warn: (message) => warnings.push(message),
  });
  const send = (frame: unknown) => session.receive(JSON.stringify(frame));
  const summary = () => summaries.at(-1);
  return { session, updates, summary, warnings, send };
}

describe('OrdersSession', () => {
  it('subscribes to the orders table', () => {
    const { session } = setup();
    expect(JSON.parse(session.subscribe())).toEqual({ type: 'subscribe', id: 'orders', table: 'orders' });
  });

  it('shows the snapshot, then changes with their commit → screen latency', () => {
    const { session, send, updates, summary } = setup(5_000);
    session.subscribe();
    send({ type: 'welcome', protocol: 1, server: 'ws-a', cursor: '0:3' });
    send(snapshot([order(1)], '0:3'));
    expect(summary()).toEqual({ rows: 1, cursor: '0:3', latencyMs: undefined, invalidFrames: 0, server: 'ws-a', error: undefined });

    send(update(order(1), order(1, { status: 'delivered' }), '0:4', 4_960));
    expect(updates.map((u) => u.kind)).toEqual(['snapshot', 'update']);
    expect(summary()).toMatchObject({ rows: 1, cursor: '0:4', latencyMs: 40 });
  });

  it('counts invalid frames and carries on', () => {
    const { session, send, warnings, summary } = setup();
    session.subscribe();
    session.receive('not json');
    session.receive(new ArrayBuffer(4));
    send({ type: 'mystery' });
    send({ ...snapshot([order(1)], '0:1'), rows: [{ ...order(1), amount: 12.5 }] });
    send(insert(order(2), 'garbage'));
    expect(summary()?.invalidFrames).toBe(5);
    expect(warnings).toHaveLength(5);

    send(snapshot([order(1)], '0:1'));
    expect(summary()).toMatchObject({ rows: 1, invalidFrames: 5 });
  });

  it('shows error frames until the next connection', () => {
    const { session, send, summary } = setup();
    session.subscribe();
    send({ type: 'error', code: 'E_UNKNOWN_TABLE', message: 'no such table', id: 'orders' });
    expect(summary()?.error).toBe('E_UNKNOWN_TABLE: no such table');
    session.subscribe();
    expect(summary()?.error).toBeUndefined();
  });

  it('replaces the view with the fresh snapshot after a reconnect and drops replays', () => {
    const { session, send, updates, summary } = setup();
    session.subscribe();
    send(snapshot([order(1), order(2)], '0:5'));
    session.subscribe();
    send(snapshot([order(2)], '0:9', false));
    send(snapshot([order(3)], '0:9', true));
    send(insert(order(4), '0:9'));
    expect(updates.map((u) => u.kind === 'snapshot' && u.first)).toEqual([true, true, false]);
    expect([...session.view.rows.keys()]).toEqual([2, 3]);
    expect(summary()).toMatchObject({ rows: 2, cursor: '0:9' });
  });
});
