/**
 * The hub with fake sockets and a fake view feed: what each subscriber is sent, in order, for
 * snapshot, resume, reset, hold-until-caught-up, filters and the slow-consumer bound.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import type { WebSocket } from 'ws';
import { CLOSE_CODES, type OrderRow, type ServerFrame } from '@orders-live/protocol';
import { Hub, type ConnectionAccess, type HubOptions } from './hub.js';
import { ChangeRing } from './ring.js';
import { Metrics } from './metrics.js';
import { OrdersView, type TableChange } from './view.js';
import type { DecodedRecord } from './debezium/decoder.js';
import { LEGACY_COLUMNS } from './debezium/legacy-columns.js';

class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: (string | Buffer)[] = [];
  closedWith: number | undefined;
  send(data: string | Buffer, _options?: unknown, callback?: () => void): void {
    this.sent.push(data);
    callback?.();
  }
  close(code: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  terminate(): void {
    this.readyState = 3;
  }
  ping(): void {}
  /** What the client would receive from now on. */
  frames(): ServerFrame[] {
    return this.sent.map((data) => JSON.parse(data.toString()) as ServerFrame);
  }
  receive(frame: unknown): void {
    this.emit('message', Buffer.from(JSON.stringify(frame)), false);
  }
}

const options: HubOptions = {
  serverId: 'test',
  snapshotChunkRows: 2,
  heartbeatIntervalMs: 60_000,
  maxBufferedBytes: 1_000,
  maxSubscriptionsPerConnection: 4,
  resumeHoldTimeoutMs: 60_000,
};

const row = (id: number, patch: Partial<OrderRow> = {}): OrderRow => ({
  id,
  customer_name: 'Ada',
  product_name: 'Pen',
  status: 'pending',
  quantity: 1,
  amount: '1.00',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...patch,
});

function setup(ringCapacity = 100, now: () => number = Date.now) {
  const view = new OrdersView();
  const ring = new ChangeRing(ringCapacity);
  const hub = new Hub(
    { view, ring, metrics: new Metrics({ clients: () => 0, subscriptions: () => 0, viewRows: () => 0, consumerLag: () => 0, ringSize: () => 0, openGaps: () => 0 }), log: pino({ level: 'silent' }), now },
    options,
  );
  let offset = -1;
  let lsn = 0;
  /** Applies one row event as the change feed would, and broadcasts it as its own batch. */
  const commit = (before: OrderRow | null, after: OrderRow | null): TableChange[] => {
    offset += 1;
    lsn += 10;
    const record: DecodedRecord = {
      kind: 'row',
      op: after ? (before ? 'update' : 'insert') : 'delete',
      key: { id: (after ?? before)!.id },
      before,
      after,
      source: { commitTimeMs: 0, lsn, commitLsn: null, txId: 1, snapshot: false },
      columns: LEGACY_COLUMNS,
    };
    const changes = view.apply(record, { partition: 0, offset: BigInt(offset) }, 0);
    for (const change of changes) ring.push(change);
    hub.broadcast(changes);
    return changes;
  };
  const connect = (access?: ConnectionAccess) => {
    const socket = new FakeSocket();
    hub.accept(socket as unknown as WebSocket, access);
    socket.sent.length = 0; // drop the welcome
    return socket;
  };
  return { view, hub, commit, connect };
}

describe('Hub', () => {
  it('sends a chunked snapshot, then exactly the changes after it', () => {
    const { commit, connect } = setup();
    [1, 2, 3].forEach((id) => commit(null, row(id)));
    const socket = connect();
    socket.receive({ type: 'subscribe', id: 's', table: 'orders' });
    commit(row(2), row(2, { quantity: 5 }));
    expect(socket.frames().map((f) => [f.type, f.type === 'snapshot' ? f.rows.map((r) => r.id) : f.type === 'change' ? f.cursor : null])).toEqual([
      ['snapshot', [1, 2]],
      ['snapshot', [3]],
      ['change', '0:3'],
    ]);
    expect(socket.frames()[1]).toMatchObject({ cursor: '0:2', done: true });
  });

  it('serialises a change once for all subscribers with the same id and filter', () => {
    const { commit, connect } = setup();
    const a = connect();
    const b = connect();
    a.receive({ type: 'subscribe', id: 's', table: 'orders' });
    b.receive({ type: 'subscribe', id: 's', table: 'orders' });
    commit(null, row(1));
    expect(a.sent.at(-1)).toBe(b.sent.at(-1));
  });

  it('resumes from a cursor in the ring with exactly the later changes', () => {
    const { commit, connect } = setup();
    [1, 2, 3, 4].forEach((id) => commit(null, row(id)));
    const socket = connect();
    socket.receive({ type: 'subscribe', id: 's', table: 'orders', cursor: '0:1' });
    expect(socket.frames()).toEqual([
      { type: 'resumed', id: 's', from: '0:1', replayed: 2 },
      expect.objectContaining({ type: 'change', op: 'insert', key: { id: 3 }, cursor: '0:2' }),
      expect.objectContaining({ type: 'change', op: 'insert', key: { id: 4 }, cursor: '0:3' }),
    ]);
  });

  it('resets a cursor older than the ring and sends a snapshot', () => {
    const { commit, connect } = setup(2);
    [1, 2, 3, 4].forEach((id) => commit(null, row(id)));
    const socket = connect();
    socket.receive({ type: 'subscribe', id: 's', table: 'orders', cursor: '0:0' });
    const frames = socket.frames();
    expect(frames[0]).toEqual({ type: 'reset', id: 's', cursor: '0:0', reason: 'cursor-too-old' });
    expect(frames.slice(1).flatMap((f) => (f.type === 'snapshot' ? f.rows.map((r) => r.id) : []))).toEqual([1, 2, 3, 4]);
  });

  it('holds a cursor ahead of the view until the view gets there', () => {
    const { commit, connect } = setup();
    commit(null, row(1));
    const socket = connect();
    socket.receive({ type: 'subscribe', id: 's', table: 'orders', cursor: '0:2' });
    expect(socket.frames()).toEqual([]);
    commit(null, row(2)); // offset 1: the client already has it
    expect(socket.frames()).toEqual([]);
    commit(null, row(3)); // offset 2: reached
    commit(null, row(4)); // offset 3: new to the client
    expect(socket.frames()).toEqual([
      { type: 'resumed', id: 's', from: '0:2', replayed: 0 },
      expect.objectContaining({ type: 'change', key: { id: 4 }, cursor: '0:3' }),
    ]);
  });

  it('filters: a row entering and leaving the view', () => {
    const { commit, connect } = setup();
    const socket = connect();
    socket.receive({ type: 'subscribe', id: 's', table: 'orders', filter: { status: { eq: 'shipped' } } });
    commit(null, row(1));
    commit(row(1), row(1, { status: 'shipped' }));
    commit(row(1, { status: 'shipped' }), row(1, { status: 'delivered' }));
    expect(socket.frames().filter((f) => f.type === 'change').map((f) => (f.type === 'change' ? f.op : ''))).toEqual(['enter', 'leave']);
  });

  it('closes a socket that still holds more than the bound at the next batch, and only that one', () => {
    const { commit, connect } = setup();
    const slow = connect();
    const fast = connect();
    slow.receive({ type: 'subscribe', id: 's', table: 'orders' });
    fast.receive({ type: 'subscribe', id: 's', table: 'orders' });
    slow.bufferedAmount = options.maxBufferedBytes + 1;
    commit(null, row(1));
    expect(slow.closedWith).toBe(CLOSE_CODES.SLOW_CONSUMER);
    expect(fast.frames().at(-1)).toMatchObject({ type: 'change', key: { id: 1 } });
    commit(null, row(2));
    expect(slow.frames().filter((f) => f.type === 'change')).toEqual([]);
  });

  it('answers protocol errors with codes and keeps the connection', () => {
    const { connect } = setup();
    const socket = connect();
    socket.emit('message', Buffer.from('{'), false);
    socket.receive({ type: 'subscribe', id: 's', table: 'orders' });
    socket.receive({ type: 'subscribe', id: 's', table: 'orders' });
    for (let i = 0; i < 4; i++) socket.receive({ type: 'subscribe', id: `t${i}`, table: 'orders' });
    socket.receive({ type: 'unsubscribe', id: 'nope' });
    expect(socket.frames().filter((f) => f.type === 'error').map((f) => (f.type === 'error' ? f.code : ''))).toEqual([
      'E_BAD_JSON',
      'E_DUPLICATE_SUBSCRIPTION',
      'E_TOO_MANY_SUBSCRIPTIONS',
      'E_UNKNOWN_SUBSCRIPTION',
    ]);
    expect(socket.closedWith).toBeUndefined();
  });
});

describe('Hub: a connection whose access token pins a filter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const ada: ConnectionAccess = { filter: { customer_name: { eq: 'Ada' } }, expiresAt: undefined };
  const changes = (socket: FakeSocket) => socket.frames().flatMap((f) => (f.type === 'change' ? [[f.op, f.key.id]] : []));
  const snapshotIds = (socket: FakeSocket) => socket.frames().flatMap((f) => (f.type === 'snapshot' ? f.rows.map((r) => r.id) : []));

  it('sees only the pinned rows in its snapshot and its changes, with enter and leave at the edge', () => {
    const { commit, connect } = setup();
    commit(null, row(1));
    commit(null, row(2, { customer_name: 'Bob' }));
    const socket = connect(ada);
    socket.receive({ type: 'subscribe', id: 's', table: 'orders' });
    expect(snapshotIds(socket)).toEqual([1]);
    commit(null, row(3, { customer_name: 'Bob' }));
    commit(row(2, { customer_name: 'Bob' }), row(2, { customer_name: 'Bob', quantity: 9 }));
    commit(row(2, { customer_name: 'Bob', quantity: 9 }), row(2, { quantity: 9 })); // given to Ada: enters
    commit(row(1), row(1, { customer_name: 'Bob' })); // given away: leaves
    commit(row(3, { customer_name: 'Bob' }), null);
    commit(row(2, { quantity: 9 }), null);
    expect(changes(socket)).toEqual([
      ['enter', 2],
      ['leave', 1],
      ['delete', 2],
    ]);
    // Bob's row before it was Ada's, and Ada's row after it became Bob's, are not Ada's to see.
    const [enter, leave] = socket.frames().filter((f) => f.type === 'change');
    expect(enter).toMatchObject({ oldRow: null, row: { id: 2, customer_name: 'Ada' } });
    expect(leave).toMatchObject({ oldRow: { id: 1, customer_name: 'Ada' }, row: null });
  });

  it('cannot widen the view by asking for another filter: the filters are ANDed', () => {
    const { commit, connect } = setup();
    commit(null, row(1));
    commit(null, row(2, { customer_name: 'Bob' }));
    commit(null, row(3, { status: 'shipped' }));
    const bob = connect(ada);
    bob.receive({ type: 'subscribe', id: 'bob', table: 'orders', filter: { customer_name: { eq: 'Bob' } } });
    const anyone = connect(ada);
    anyone.receive({ type: 'subscribe', id: 'any', table: 'orders', filter: { customer_name: { in: ['Ada', 'Bob'] } } });
    const shipped = connect(ada);
    shipped.receive({ type: 'subscribe', id: 'shipped', table: 'orders', filter: { status: { eq: 'shipped' } } });
    expect([snapshotIds(bob), snapshotIds(anyone), snapshotIds(shipped)]).toEqual([[], [1, 3], [3]]);
    commit(null, row(4, { customer_name: 'Bob' }));
    commit(null, row(5, { status: 'shipped' }));
    expect([changes(bob), changes(anyone), changes(shipped)]).toEqual([[], [['insert', 5]], [['insert', 5]]]);
  });

  it('does not share cached frames with an unpinned subscriber of the same id and filter', () => {
    const { commit, connect } = setup();
    const pinned = connect(ada);
    const open = connect();
    pinned.receive({ type: 'subscribe', id: 's', table: 'orders' });
    open.receive({ type: 'subscribe', id: 's', table: 'orders' });
    commit(null, row(1, { customer_name: 'Bob' }));
    expect([changes(pinned), changes(open)]).toEqual([[], [['insert', 1]]]);
  });

  it('resumes with only the pinned rows among the missed changes', () => {
    const { commit, connect } = setup();
    commit(null, row(1));
    commit(null, row(2, { customer_name: 'Bob' }));
    commit(null, row(3));
    commit(row(1), row(1, { customer_name: 'Bob' }));
    const socket = connect(ada);
    socket.receive({ type: 'subscribe', id: 's', table: 'orders', cursor: '0:0' });
    expect(socket.frames()[0]).toEqual({ type: 'resumed', id: 's', from: '0:0', replayed: 2 });
    expect(changes(socket)).toEqual([
      ['insert', 3],
      ['leave', 1],
    ]);
  });

  it('gets a pinned snapshot after a reset too', () => {
    const { commit, connect } = setup(1);
    [1, 2, 3].forEach((id) => commit(null, row(id, { customer_name: id === 2 ? 'Ada' : 'Bob' })));
    const socket = connect(ada);
    socket.receive({ type: 'subscribe', id: 's', table: 'orders', cursor: '0:0' });
    expect(socket.frames()[0]).toMatchObject({ type: 'reset', reason: 'cursor-too-old' });
    expect(snapshotIds(socket)).toEqual([2]);
  });

  it('is closed with TOKEN_EXPIRED when its token expires, and nothing is sent after', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { commit, connect } = setup(100, () => Date.now());
    const expiring = connect({ filter: undefined, expiresAt: 1_000_000 + 5_000 });
    const forever = connect();
    expiring.receive({ type: 'subscribe', id: 's', table: 'orders' });
    forever.receive({ type: 'subscribe', id: 's', table: 'orders' });
    vi.advanceTimersByTime(4_999);
    expect(expiring.closedWith).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(expiring.closedWith).toBe(CLOSE_CODES.TOKEN_EXPIRED);
    commit(null, row(1));
    expect(changes(expiring)).toEqual([]);
    expect(changes(forever)).toEqual([['insert', 1]]);
  });

  it('waits in steps for an expiry beyond the longest timer', () => {
    vi.useFakeTimers({ now: 0 });
    const { connect } = setup(100, () => Date.now());
    const socket = connect({ filter: undefined, expiresAt: 40 * 24 * 3_600_000 });
    vi.advanceTimersByTime(30 * 24 * 3_600_000);
    expect(socket.closedWith).toBeUndefined();
    vi.advanceTimersByTime(10 * 24 * 3_600_000);
    expect(socket.closedWith).toBe(CLOSE_CODES.TOKEN_EXPIRED);
  });
});

describe('Hub frame budget', () => {
  it('closes a client that floods frames with 1008, and only that one', () => {
    const { connect } = setup();
    const flooder = connect();
    const calm = connect();
    for (let i = 0; i < 200; i++) flooder.receive({ type: 'unsubscribe', id: `x${i}` });
    expect(flooder.closedWith).toBe(CLOSE_CODES.POLICY_VIOLATION);
    // It got an answer for each frame within its burst, nothing after.
    expect(flooder.frames().filter((f) => f.type === 'error').length).toBeLessThanOrEqual(50);
    calm.receive({ type: 'subscribe', id: 's', table: 'orders' });
    expect(calm.closedWith).toBeUndefined();
    expect(calm.frames().some((f) => f.type === 'snapshot')).toBe(true);
  });
});
