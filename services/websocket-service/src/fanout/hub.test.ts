// Over 300 lines: one hub, one fake feed and its helpers for all the subscribe, resume and broadcast cases.
/**
 * The hub with fake sockets and a fake view feed: what each subscriber is sent, in order, for
 * snapshot, resume, reset, hold-until-caught-up, filters, windows, transactions, the version check
 * and the slow-consumer bound.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { orderRow } from '@orders-live/testkit/rows';
import { pino } from 'pino';
import type { WebSocket } from 'ws';
import {
  CLOSE_CODES,
  PROTOCOL_SUBPROTOCOL,
  applyWindowOps,
  type OrderRow,
  type RowChange,
  type ServerFrame,
  type SubscriptionFilter,
} from '@orders-live/protocol';
import { Hub, type ConnectionAccess, type HubOptions } from './hub.js';
import { WindowRegistry } from '../windows/window-registry.js';
import { createPipeline } from '../pipeline.js';
import { ChangeRing } from '../stream/ring.js';
import { Metrics } from '../metrics.js';
import { TableView } from '../table/table-view.js';
import type { HeldRecord } from '../stream/transactions.js';
import type { DecodedRecord } from '../ingest/debezium/decoder.js';
import { LEGACY_COLUMNS } from '../ingest/debezium/legacy-columns.js';
import { columnSet, type ColumnSet } from '../table/column-set.js';
import { DegradedState, type DegradedReport } from '../ingest/degraded-state.js';

/** A transaction frame's change, as its own record: what the older tests check change by change. */
type FlatChange = RowChange & { type: 'change'; id: string };
type FlatFrame = Exclude<ServerFrame, { type: 'transaction' }> | FlatChange;

class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  protocol = PROTOCOL_SUBPROTOCOL;
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
  /** Every frame the client would receive from now on. */
  all(): ServerFrame[] {
    return this.sent.map((data) => JSON.parse(data.toString()) as ServerFrame);
  }
  /** The data frames: without the columns and stream-status frames, which their own tests check (all()). */
  frames(): ServerFrame[] {
    return this.all().filter((f) => f.type !== 'columns' && f.type !== 'stream-status');
  }
  /** The frames, each transaction frame spread into its changes. */
  flat(): FlatFrame[] {
    return this.frames().flatMap((f): FlatFrame[] =>
      f.type === 'transaction' ? f.changes.map((c) => ({ type: 'change', id: f.id, ...c })) : [f],
    );
  }
  receive(frame: unknown): void {
    this.emit('message', Buffer.from(JSON.stringify(frame)), false);
  }
}

/** Subscribes each socket to the whole table as "s": the step most cases start from. */
function subscribeTable(...sockets: FakeSocket[]): void {
  for (const socket of sockets) socket.receive({ type: 'subscribe', id: 's', table: 'orders' });
}

/** A window of the two largest quantities, as "w": the window the diff and DDL cases watch. */
const TOP_TWO_BY_QUANTITY = {
  type: 'subscribe',
  id: 'w',
  table: 'orders',
  window: { orderBy: { column: 'quantity', direction: 'desc' }, limit: 2 },
} as const;

const options: HubOptions = {
  serverId: 'test',
  snapshotChunkRows: 2,
  heartbeatIntervalMs: 60_000,
  maxBufferedBytes: 1_000,
  maxSubscriptionsPerConnection: 4,
  resumeHoldTimeoutMs: 60_000,
};

const row = orderRow;

function setup(
  ringCapacity = 100,
  now: () => number = Date.now,
  streamStatus: () => DegradedReport | null = () => null,
  caughtUp?: () => boolean,
) {
  const view = new TableView();
  const ring = new ChangeRing(ringCapacity);
  const windows = new WindowRegistry(() => view.unorderedRows());
  const metrics = new Metrics({
    clients: () => 0,
    subscriptions: () => 0,
    viewRows: () => 0,
    consumerLag: () => 0,
    ringSize: () => 0,
    openGaps: () => 0,
    freshnessLagMs: () => 0,
    receivingEvents: () => 0,
  });
  const hub: Hub = new Hub(
    {
      view,
      ring,
      windows,
      metrics,
      log: pino({ level: 'silent' }),
      now,
      streamStatus,
      ...(caughtUp ? { caughtUp } : {}),
    },
    options,
  );
  view.catalog.onChange(() => hub.columnsChanged());
  const stages = createPipeline({
    view,
    ring,
    windows,
    hub,
    metrics,
    degraded: new DegradedState([]),
    log: pino({ level: 'silent' }),
    now,
    live: () => true,
    collection: 'public.orders',
  });
  let offset = -1;
  let lsn = 0;
  let txId = 100;
  /** One row event of transaction `tx`, as the change feed decodes it (records without transaction metadata). */
  const apply = (before: OrderRow | null, after: OrderRow | null, tx: number, columns: ColumnSet = LEGACY_COLUMNS): HeldRecord[] => {
    offset += 1;
    lsn += 10;
    const record: DecodedRecord = {
      kind: 'row',
      op: after ? (before ? 'update' : 'insert') : 'delete',
      key: { id: (after ?? before)!.id },
      before,
      after,
      source: { commitTimeMs: 0, lsn, commitLsn: null, txId: tx, snapshot: false },
      transaction: null,
      columns,
    };
    return [{ record, position: { partition: 0, offset: BigInt(offset) }, kafkaTime: 0 }];
  };
  /** A fetch as the change feed hands it over: its records and whether Kafka already holds more. */
  const fetchOf = (records: HeldRecord[], more: boolean) => stages.onRecords(records, !more);
  /** Applies one row event as its own transaction and fetch, as the change feed would. */
  const commit = (before: OrderRow | null, after: OrderRow | null): void => fetchOf(apply(before, after, ++txId), false);
  /** One row event written under other columns (after a DDL), as its own transaction and fetch. */
  const commitUnder = (columns: ColumnSet, before: OrderRow | null, after: OrderRow | null): void =>
    fetchOf(apply(before, after, ++txId, columns), false);
  /** Several transactions (each a list of [before, after]) in one fetch. */
  const fetch = (...transactions: [OrderRow | null, OrderRow | null][][]): void => {
    const records = transactions.flatMap((tx) => {
      txId += 1;
      return tx.flatMap(([before, after]) => apply(before, after, txId));
    });
    fetchOf(records, false);
  };
  /** One transaction's changes split over two fetches, the first saying more records are in Kafka. */
  const split = (first: [OrderRow | null, OrderRow | null][], rest: [OrderRow | null, OrderRow | null][], between?: () => void): void => {
    txId += 1;
    fetchOf(
      first.flatMap(([before, after]) => apply(before, after, txId)),
      true,
    );
    between?.();
    fetchOf(
      rest.flatMap(([before, after]) => apply(before, after, txId)),
      false,
    );
  };
  const connect = (access?: ConnectionAccess) => {
    const socket = new FakeSocket();
    hub.accept(socket as unknown as WebSocket, access);
    socket.sent.length = 0; // drop the welcome
    return socket;
  };
  /** A connection subscribed to the whole table as "s", what it was sent so far dropped: it sees only what follows. */
  const subscribed = () => {
    const socket = connect();
    subscribeTable(socket);
    socket.sent.length = 0;
    return socket;
  };
  const newTx = () => ++txId;
  return { view, hub, windows, commit, commitUnder, fetch, split, connect, subscribed, apply, fetchOf, newTx };
}

describe('Hub', () => {
  it('sends a chunked snapshot, then exactly the changes after it', () => {
    const { commit, connect } = setup();
    [1, 2, 3].forEach((id) => commit(null, row(id)));
    const socket = connect();
    subscribeTable(socket);
    commit(row(2), row(2, { quantity: 5 }));
    expect(
      socket.flat().map((f) => [f.type, f.type === 'snapshot' ? f.rows.map((r) => r.id) : f.type === 'change' ? f.cursor : null]),
    ).toEqual([
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
    subscribeTable(a, b);
    commit(null, row(1));
    expect(a.sent.at(-1)).toBe(b.sent.at(-1));
  });

  it('resumes from a cursor in the ring with exactly the later changes', () => {
    const { commit, connect } = setup();
    [1, 2, 3, 4].forEach((id) => commit(null, row(id)));
    const socket = connect();
    socket.receive({ type: 'subscribe', id: 's', table: 'orders', cursor: '0:1' });
    expect(socket.flat()).toEqual([
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
    expect(socket.flat()).toEqual([
      { type: 'resumed', id: 's', from: '0:2', replayed: 0 },
      expect.objectContaining({ type: 'change', key: { id: 4 }, cursor: '0:3' }),
    ]);
  });
});

describe('Hub: filters, the slow-consumer bound and protocol errors', () => {
  it('filters: a row entering and leaving the view', () => {
    const { commit, connect } = setup();
    const socket = connect();
    socket.receive({ type: 'subscribe', id: 's', table: 'orders', filter: { status: { eq: 'shipped' } } });
    commit(null, row(1));
    commit(row(1), row(1, { status: 'shipped' }));
    commit(row(1, { status: 'shipped' }), row(1, { status: 'delivered' }));
    expect(
      socket
        .flat()
        .filter((f) => f.type === 'change')
        .map((f) => (f.type === 'change' ? f.op : '')),
    ).toEqual(['enter', 'leave']);
  });

  it('closes a socket that still holds more than the bound at the next batch, and only that one', () => {
    const { commit, connect } = setup();
    const slow = connect();
    const fast = connect();
    subscribeTable(slow, fast);
    slow.bufferedAmount = options.maxBufferedBytes + 1;
    commit(null, row(1));
    expect(slow.closedWith).toBe(CLOSE_CODES.SLOW_CONSUMER);
    expect(fast.flat().at(-1)).toMatchObject({ type: 'change', key: { id: 1 } });
    commit(null, row(2));
    expect(slow.flat().filter((f) => f.type === 'change')).toEqual([]);
  });

  it('keeps a socket whose one transaction frame is larger than the bound while it takes it, and counts what follows', () => {
    const { fetch, commit, connect } = setup();
    const socket = connect();
    subscribeTable(socket);
    // The socket takes nothing from now on: what it is sent stays in its buffer.
    const held: (() => void)[] = [];
    socket.send = (data, _options, callback) => {
      socket.sent.push(data);
      socket.bufferedAmount += data.length;
      if (callback) held.push(callback);
    };
    const rows = Array.from({ length: 20 }, (_, i) => [null, row(i + 1, { customer_name: 'x'.repeat(40) })] as [null, OrderRow]);
    fetch(rows);
    expect(socket.bufferedAmount).toBeGreaterThan(options.maxBufferedBytes);
    commit(null, row(21));
    expect(socket.closedWith).toBeUndefined();
    // The big frame went out whole; the next one waits behind it, to leave with the next flush.
    expect(socket.flat().filter((f) => f.type === 'change')).toHaveLength(20);
    // Once the big frame is written, the socket is judged by what it still holds: past the bound, closed.
    socket.bufferedAmount = options.maxBufferedBytes + 1;
    held.splice(0).forEach((done) => done());
    commit(null, row(22));
    expect(socket.closedWith).toBe(CLOSE_CODES.SLOW_CONSUMER);
  });

  it('cuts off a client that reads nothing even when every transaction frame is larger than the bound', () => {
    const { fetch, commit, connect } = setup();
    const socket = connect();
    subscribeTable(socket);
    socket.send = (data) => {
      socket.sent.push(data);
      socket.bufferedAmount += data.length;
    };
    const big = (from: number) =>
      Array.from({ length: 20 }, (_, i) => [null, row(from + i, { customer_name: 'x'.repeat(40) })] as [null, OrderRow]);
    // Big transactions back to back are taken (a burst a client that reads takes in its stride)…
    fetch(big(1));
    fetch(big(21));
    commit(null, row(41));
    expect(socket.closedWith).toBeUndefined();
    // …up to a bounded backlog: a client that reads none of them is closed.
    for (let from = 100; from < 100 + 20 * 40 && socket.closedWith === undefined; from += 20) fetch(big(from));
    expect(socket.closedWith).toBe(CLOSE_CODES.SLOW_CONSUMER);
  });

  it('answers protocol errors with codes and keeps the connection', () => {
    const { connect } = setup();
    const socket = connect();
    socket.emit('message', Buffer.from('{'), false);
    socket.receive({ type: 'subscribe', id: 's', table: 'orders' });
    socket.receive({ type: 'subscribe', id: 's', table: 'orders' });
    for (let i = 0; i < 4; i++) socket.receive({ type: 'subscribe', id: `t${i}`, table: 'orders' });
    socket.receive({ type: 'unsubscribe', id: 'nope' });
    expect(
      socket
        .frames()
        .filter((f) => f.type === 'error')
        .map((f) => (f.type === 'error' ? f.code : '')),
    ).toEqual(['E_BAD_JSON', 'E_DUPLICATE_SUBSCRIPTION', 'E_TOO_MANY_SUBSCRIPTIONS', 'E_UNKNOWN_SUBSCRIPTION']);
    expect(socket.closedWith).toBeUndefined();
  });
});

describe('Hub: a connection whose access token pins a filter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const ada: ConnectionAccess = { tables: new Map([['orders', { customer_name: { eq: 'Ada' } }]]), expiresAt: undefined };
  const changes = (socket: FakeSocket) => socket.flat().flatMap((f) => (f.type === 'change' ? [[f.op, f.key.id]] : []));
  const snapshotIds = (socket: FakeSocket) => socket.frames().flatMap((f) => (f.type === 'snapshot' ? f.rows.map((r) => r.id) : []));

  it('sees only the pinned rows in its snapshot and its changes, with enter and leave at the edge', () => {
    const { commit, connect } = setup();
    commit(null, row(1));
    commit(null, row(2, { customer_name: 'Bob' }));
    const socket = connect(ada);
    subscribeTable(socket);
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
    const [enter, leave] = socket.flat().filter((f) => f.type === 'change');
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
    subscribeTable(pinned, open);
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
    const expiring = connect({ tables: undefined, expiresAt: 1_000_000 + 5_000 });
    const forever = connect();
    subscribeTable(expiring, forever);
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
    const socket = connect({ tables: undefined, expiresAt: 40 * 24 * 3_600_000 });
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
    subscribeTable(calm);
    expect(calm.closedWith).toBeUndefined();
    expect(calm.frames().some((f) => f.type === 'snapshot')).toBe(true);
  });
});

describe('Hub v2: transactions, windows, versions', () => {
  it('sends the changes of one transaction in one frame, with its txId', () => {
    const { fetch, subscribed } = setup();
    const socket = subscribed();
    fetch(
      [
        [null, row(1)],
        [null, row(2)],
      ],
      [[null, row(3)]],
    );
    const frames = socket.frames();
    expect(frames.map((f) => (f.type === 'transaction' ? f.changes.map((c) => c.key.id) : f.type))).toEqual([[1, 2], [3]]);
    expect(frames[0]).toMatchObject({ type: 'transaction', cursor: '0:1' });
    expect(frames[1]).toMatchObject({ type: 'transaction', cursor: '0:2' });
    // Each change carries its own event's LSN (the fake decoder gives 10, 20, 30 in log order).
    expect(frames.flatMap((f) => (f.type === 'transaction' ? f.changes.map((c) => c.lsn) : []))).toEqual([10, 20, 30]);
    expect((frames[0] as { txId: number }).txId).not.toBe((frames[1] as { txId: number }).txId);
  });

  it('refuses a socket opened without the v2 subprotocol with a code, and closes it', () => {
    const { hub } = setup();
    const socket = new FakeSocket();
    socket.protocol = '';
    hub.accept(socket as unknown as WebSocket);
    expect(socket.frames()).toEqual([expect.objectContaining({ type: 'error', code: 'E_UNSUPPORTED_PROTOCOL' })]);
    expect(socket.closedWith).toBe(CLOSE_CODES.UNSUPPORTED_PROTOCOL);
    expect(hub.clientCount).toBe(0);
  });
});

describe('Hub v2: windows', () => {
  it('sends a window, then a diff per transaction that alters it, with total and counts', () => {
    const { commit, fetch, connect } = setup();
    [5, 3, 9, 1].forEach((q, i) => commit(null, row(i + 1, { quantity: q })));
    const socket = connect();
    socket.receive(TOP_TWO_BY_QUANTITY);
    const [first] = socket.frames();
    expect(first).toMatchObject({ type: 'window', offset: 0, total: 4, counts: { pending: 4, shipped: 0, delivered: 0 } });
    expect(first?.type === 'window' && first.rows.map((r) => r.id)).toEqual([3, 1]);
    socket.sent.length = 0;
    // One transaction: a new top row and a status change below the window.
    fetch([
      [null, row(5, { quantity: 7 })],
      [row(2, { quantity: 3 }), row(2, { quantity: 3, status: 'shipped' })],
    ]);
    commit(row(4, { quantity: 1 }), row(4, { quantity: 2 })); // below the window: only… nothing visible changes
    const frames = socket.frames();
    expect(frames).toHaveLength(1);
    const diff = frames[0]!;
    expect(diff).toMatchObject({ type: 'diff', total: 5, counts: { pending: 4, shipped: 1, delivered: 0 }, cursor: '0:5' });
    expect(
      diff.type === 'diff' &&
        (applyWindowOps(first?.type === 'window' ? first.rows : [], diff.ops, (row) => row['id'] as number) as OrderRow[]).map((r) => r.id),
    ).toEqual([3, 5]);
    // Row 1 was pushed past the window's edge: not deleted, still matching, and no change of it caused the step (no lsn).
    expect(diff.type === 'diff' && diff.ops.find((op) => op.op === 'leave')).toEqual({ op: 'leave', key: { id: 1 }, reason: 'moved' });
    // Row 5 entered by its own insert: the step carries that event's LSN (the fifth event: 50).
    expect(diff.type === 'diff' && diff.ops.find((op) => op.op === 'enter')).toEqual({
      op: 'enter',
      row: row(5, { quantity: 7 }),
      index: 1,
      lsn: 50,
    });
    expect(diff).toMatchObject({ kafkaTime: expect.any(Number), sentAt: expect.any(Number) });
    socket.sent.length = 0;
    commit(row(5, { quantity: 7 }), null);
    const [afterDelete] = socket.frames();
    expect(afterDelete?.type === 'diff' && afterDelete.ops.find((op) => op.op === 'leave')).toEqual({
      op: 'leave',
      key: { id: 5 },
      reason: 'deleted',
      lsn: 80,
    });
  });

  it('shares windows and indexes between subscribers, and drops them with the last', () => {
    const { commit, connect, windows } = setup();
    commit(null, row(1));
    const query = { orderBy: { column: 'customer_name', direction: 'asc' }, limit: 10 };
    const a = connect();
    const b = connect();
    a.receive({ type: 'subscribe', id: 'w', table: 'orders', window: query });
    b.receive({ type: 'subscribe', id: 'w', table: 'orders', window: query });
    b.receive({
      type: 'subscribe',
      id: 'v',
      table: 'orders',
      window: { ...query, orderBy: { column: 'customer_name', direction: 'desc' } },
    });
    expect([windows.windowCount, windows.indexCount]).toEqual([2, 1]);
    commit(null, row(2));
    expect(a.sent.at(-1)).toBe(b.sent.find((data) => data.toString().includes('"diff","id":"w"') && data.toString().includes('"0:1"')));
    a.emit('close');
    b.receive({ type: 'unsubscribe', id: 'w' });
    expect([windows.windowCount, windows.indexCount]).toEqual([1, 1]);
    b.receive({ type: 'unsubscribe', id: 'v' });
    expect([windows.windowCount, windows.indexCount]).toEqual([0, 0]);
  });

  it('holds a window whose cursor is ahead, then sends it as of the view', () => {
    const { commit, connect } = setup();
    commit(null, row(1));
    const socket = connect();
    socket.receive({
      type: 'subscribe',
      id: 'w',
      table: 'orders',
      cursor: '0:1',
      window: { orderBy: { column: 'id', direction: 'asc' }, limit: 5 },
    });
    expect(socket.frames()).toEqual([]);
    commit(null, row(2));
    expect(socket.frames()).toEqual([expect.objectContaining({ type: 'window', cursor: '0:1', total: 2 })]);
    commit(null, row(3));
    expect(socket.frames().at(-1)).toMatchObject({ type: 'diff', cursor: '0:2', ops: [{ op: 'enter', index: 2 }] });
  });

  it('refuses a keyset position of the wrong type with E_BAD_WINDOW', () => {
    const { connect } = setup();
    const socket = connect();
    socket.receive({
      type: 'subscribe',
      id: 'w',
      table: 'orders',
      window: { orderBy: { column: 'quantity', direction: 'asc' }, limit: 5, after: { value: 'x', id: 1 } },
    });
    expect(socket.frames()).toEqual([expect.objectContaining({ type: 'error', code: 'E_BAD_WINDOW', id: 'w' })]);
  });
});

describe('Hub: a replica still reading its topic', () => {
  const setupCatchingUp = (caughtUp: () => boolean) => setup(100, Date.now, () => null, caughtUp);

  it('sends a new table or window subscription nothing until it has caught up, then the whole view and what follows', () => {
    let caughtUp = false;
    const { commit, connect, hub } = setupCatchingUp(() => caughtUp);
    commit(null, row(1));
    const table = connect();
    subscribeTable(table);
    const window = connect();
    window.receive(TOP_TWO_BY_QUANTITY);
    commit(null, row(2, { quantity: 5 }));
    expect([table.frames(), window.frames()]).toEqual([[], []]);
    caughtUp = true;
    hub.caughtUp();
    expect(table.frames()).toEqual([expect.objectContaining({ type: 'snapshot', rows: [row(1), row(2, { quantity: 5 })], done: true })]);
    expect(window.frames()).toEqual([expect.objectContaining({ type: 'window', total: 2 })]);
    commit(null, row(3));
    expect(table.flat().map((f) => f.type)).toEqual(['snapshot', 'change']);
  });

  it('answers a subscribe at once when it has caught up, and a bad one at once either way', () => {
    const { commit, connect } = setupCatchingUp(() => false);
    commit(null, row(1));
    const socket = connect();
    socket.receive({ type: 'subscribe', id: 's', table: 'invoices' });
    expect(socket.frames()).toEqual([expect.objectContaining({ type: 'error', code: 'E_UNKNOWN_TABLE' })]);
    const ready = setupCatchingUp(() => true);
    ready.commit(null, row(1));
    const other = ready.connect();
    subscribeTable(other);
    expect(other.frames()).toEqual([expect.objectContaining({ type: 'snapshot', done: true })]);
  });
});

describe('Hub v2: a transaction over two fetches', () => {
  it('is held back and sent as one frame when the next fetch completes it', () => {
    const { split, subscribed } = setup();
    const socket = subscribed();
    split(
      [[null, row(1)]],
      [
        [null, row(2)],
        [null, row(3)],
      ],
      () => expect(socket.frames()).toEqual([]),
    );
    expect(socket.frames().map((f) => (f.type === 'transaction' ? f.changes.map((c) => c.key.id) : f.type))).toEqual([[1, 2, 3]]);
  });

  it('is one frame over many fetches, and the next transaction, begun in its last fetch, is held in turn', () => {
    const { apply, fetchOf, newTx, subscribed } = setup();
    const socket = subscribed();
    const ids = () => socket.frames().map((f) => (f.type === 'transaction' ? f.changes.map((c) => c.key.id) : f.type));
    const big = newTx();
    for (let id = 1; id <= 50; id++) fetchOf(apply(null, row(id), big), true);
    expect(ids()).toEqual([]);
    const next = newTx();
    fetchOf([...apply(null, row(51), big), ...apply(null, row(52), next)], true);
    expect(ids()).toEqual([Array.from({ length: 51 }, (_, i) => i + 1)]);
    fetchOf(apply(null, row(53), next), false);
    expect(ids()).toEqual([Array.from({ length: 51 }, (_, i) => i + 1), [52, 53]]);
  });

  it('answers a subscribe during a held transaction with the view without it, then the transaction whole in one diff', () => {
    const { split, connect, subscribed } = setup();
    const early = subscribed();
    const late = connect();
    split([[null, row(1)]], [[null, row(2)]], () => {
      late.receive({ type: 'subscribe', id: 's', table: 'orders', window: { orderBy: { column: 'id', direction: 'asc' }, limit: 5 } });
    });
    expect(
      early
        .flat()
        .filter((f) => f.type === 'change')
        .map((f) => (f.type === 'change' ? f.key.id : 0)),
    ).toEqual([1, 2]);
    const [window, diff] = late.frames();
    // Never half a transaction (guarantee 7): the window as it was before it, then all of it at once.
    expect(window?.type === 'window' && window.rows.map((r) => r.id)).toEqual([]);
    expect(diff).toMatchObject({
      type: 'diff',
      total: 2,
      ops: [
        { op: 'enter', index: 0 },
        { op: 'enter', index: 1 },
      ],
    });
  });
});

describe('Hub v2: a window under a pinned filter', () => {
  it('holds and counts only the rows the token covers, and is not shared with an unpinned window', () => {
    const { commit, connect, windows } = setup();
    commit(null, row(1));
    commit(null, row(2, { customer_name: 'Bob' }));
    const query = { orderBy: { column: 'id', direction: 'asc' }, limit: 10 };
    const pinned = connect({ tables: new Map([['orders', { customer_name: { eq: 'Ada' } }]]), expiresAt: undefined });
    const open = connect();
    pinned.receive({ type: 'subscribe', id: 'w', table: 'orders', window: query });
    open.receive({ type: 'subscribe', id: 'w', table: 'orders', window: query });
    expect(windows.windowCount).toBe(2);
    const first = (socket: FakeSocket) => socket.frames()[0]!;
    expect(first(pinned)).toMatchObject({ type: 'window', total: 1, rows: [{ id: 1 }] });
    expect(first(open)).toMatchObject({ type: 'window', total: 2 });
    commit(null, row(3, { customer_name: 'Bob' }));
    commit(row(2, { customer_name: 'Bob' }), row(2)); // given to Ada: enters her window
    expect(pinned.frames().filter((f) => f.type === 'diff')).toEqual([
      expect.objectContaining({ total: 2, ops: [expect.objectContaining({ op: 'enter', index: 1 })] }),
    ]);
  });
});

/** orders after `ALTER TABLE orders ADD COLUMN note text DEFAULT 'none'`. */
const WITH_NOTE = columnSet([
  ...LEGACY_COLUMNS.columns,
  { name: 'note', kind: 'text', sourceType: 'TEXT', nullable: true, defaultValue: 'none' },
]);
/** …then `ALTER TABLE orders DROP COLUMN customer_name`. */
const WITHOUT_CUSTOMER = columnSet(WITH_NOTE.columns.filter((c) => c.name !== 'customer_name'));
const noted = (id: number, note: string, patch: Partial<OrderRow> = {}) => ({ ...row(id, patch), note }) as unknown as OrderRow;

describe('Hub: columns and stream status', () => {
  it('sends the columns before the first rows of a table and of a window subscription', () => {
    const { commit, connect } = setup();
    commit(null, row(1));
    const socket = connect();
    subscribeTable(socket);
    socket.receive({ type: 'subscribe', id: 'w', table: 'orders', window: { orderBy: { column: 'id', direction: 'asc' }, limit: 5 } });
    expect(socket.all().map((f) => [f.type, 'id' in f ? f.id : null])).toEqual([
      ['columns', 's'],
      ['snapshot', 's'],
      ['columns', 'w'],
      ['window', 'w'],
    ]);
    expect(socket.all()[0]).toEqual({
      type: 'columns',
      id: 's',
      table: 'orders',
      columns: LEGACY_COLUMNS.columns,
      key: ['id'],
      cursor: '0:0',
    });
  });

  it('after a DDL sends the new columns and every row afresh in the new shape, then the changes after it once', () => {
    const { commit, commitUnder, connect, windows } = setup();
    [1, 2, 3].forEach((id) => commit(null, row(id, { quantity: id })));
    const table = connect();
    subscribeTable(table);
    const window = connect();
    window.receive(TOP_TWO_BY_QUANTITY);
    table.sent.length = 0;
    window.sent.length = 0;
    // The first record under the new columns: the others' rows get the default, as Postgres did.
    commitUnder(WITH_NOTE, row(2, { quantity: 2 }), noted(2, 'hello', { quantity: 9 }));
    expect(table.all().map((f) => f.type)).toEqual(['columns', 'snapshot', 'snapshot', 'transaction']);
    const [columns, first, second, tx] = table.all();
    expect(columns).toMatchObject({ type: 'columns', id: 's', cursor: '0:2', columns: WITH_NOTE.columns });
    expect([...(first as unknown as { rows: OrderRow[] }).rows, ...(second as unknown as { rows: OrderRow[] }).rows]).toEqual([
      noted(1, 'none', { quantity: 1 }),
      noted(2, 'none', { quantity: 2 }),
      noted(3, 'none', { quantity: 3 }),
    ]);
    expect(second).toMatchObject({ cursor: '0:2', done: true });
    expect(tx).toMatchObject({
      type: 'transaction',
      changes: [{ op: 'update', cursor: '0:3', row: noted(2, 'hello', { quantity: 9 }), changed: ['quantity', 'note'], lsn: 40 }],
    });
    // The window: afresh in the new shape, then the diff of the change, from a rebuilt index.
    expect(window.all().map((f) => f.type)).toEqual(['columns', 'window', 'diff']);
    expect(window.all()[1]).toMatchObject({
      type: 'window',
      cursor: '0:2',
      rows: [noted(3, 'none', { quantity: 3 }), noted(2, 'none', { quantity: 2 })],
    });
    expect(window.all()[2]).toMatchObject({ type: 'diff', cursor: '0:3', offset: 0, total: 3 });
    const [, opened, diff] = window.all() as [unknown, { rows: OrderRow[] }, { ops: Parameters<typeof applyWindowOps>[1] }];
    expect(applyWindowOps(opened.rows, diff.ops, (row) => row['id'] as number)).toEqual([
      noted(2, 'hello', { quantity: 9 }),
      noted(3, 'none', { quantity: 3 }),
    ]);
    expect(windows.indexCount).toBe(1);
  });

  it('ends a subscription whose filter or order names a dropped column with E_UNKNOWN_COLUMN, and keeps the others', () => {
    const { commit, commitUnder, connect, windows } = setup();
    commit(null, row(1));
    const socket = connect();
    socket.receive({ type: 'subscribe', id: 'f', table: 'orders', filter: { customer_name: { eq: 'Ada' } } });
    socket.receive({
      type: 'subscribe',
      id: 'w',
      table: 'orders',
      window: { orderBy: { column: 'customer_name', direction: 'asc' }, limit: 5 },
    });
    socket.receive({ type: 'subscribe', id: 'n', table: 'orders', filter: { status: { eq: 'pending' } } });
    commitUnder(WITH_NOTE, null, noted(2, 'x'));
    socket.sent.length = 0;
    const { customer_name: _gone, ...rest } = noted(3, 'y') as unknown as Record<string, unknown>;
    commitUnder(WITHOUT_CUSTOMER, null, rest as unknown as OrderRow);
    const errors = socket.all().filter((f) => f.type === 'error');
    expect(errors.map((f) => [f.type === 'error' && f.code, f.type === 'error' && f.id])).toEqual([
      ['E_UNKNOWN_COLUMN', 'f'],
      ['E_UNKNOWN_COLUMN', 'w'],
    ]);
    expect(windows.windowCount).toBe(0);
    expect(
      socket
        .all()
        .filter((f) => f.type !== 'error')
        .map((f) => [f.type, 'id' in f ? f.id : null]),
    ).toEqual([
      ['columns', 'n'],
      ['snapshot', 'n'],
      ['transaction', 'n'],
    ]);
    // Subscribing by the dropped column is refused from now on.
    socket.receive({ type: 'subscribe', id: 'again', table: 'orders', filter: { customer_name: { eq: 'Ada' } } });
    expect(socket.all().at(-1)).toMatchObject({ type: 'error', code: 'E_UNKNOWN_COLUMN', id: 'again' });
  });

  it('sends the stream status after welcome and to every connection when it changes', () => {
    const report: DegradedReport = { code: 'STREAM_GAP', reason: '1 record(s) of the topic do not decode', openGaps: 1, gaps: [] };
    let current: DegradedReport | null = report;
    const { hub } = setup(100, Date.now, () => current);
    const socket = new FakeSocket();
    hub.accept(socket as unknown as WebSocket);
    expect(socket.all().map((f) => f.type)).toEqual(['welcome', 'stream-status']);
    expect(socket.all()[1]).toEqual({ type: 'stream-status', degraded: report });
    current = null;
    hub.streamStatusChanged(null);
    expect(socket.all().at(-1)).toEqual({ type: 'stream-status', degraded: null });
  });
});

describe('Hub: a held resume at its timeout, after an unsubscribe, across a DDL', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const setupTimed = () => {
    vi.useFakeTimers({ now: 1_000_000 });
    return setup(100, () => Date.now());
  };

  it('resets a held table subscription with cursor-not-reached and a snapshot, then sends what follows', () => {
    const { commit, connect } = setupTimed();
    commit(null, row(1));
    const socket = connect();
    socket.receive({ type: 'subscribe', id: 's', table: 'orders', cursor: '0:5' });
    vi.advanceTimersByTime(options.resumeHoldTimeoutMs - 1);
    expect(socket.frames()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(socket.frames()).toEqual([
      { type: 'reset', id: 's', cursor: '0:5', reason: 'cursor-not-reached' },
      expect.objectContaining({ type: 'snapshot', rows: [row(1)], cursor: '0:0', done: true }),
    ]);
    commit(null, row(2));
    expect(socket.flat().at(-1)).toMatchObject({ type: 'change', key: { id: 2 }, cursor: '0:1' });
  });

  it('resets a held window subscription with cursor-not-reached and the window as of the view', () => {
    const { commit, connect } = setupTimed();
    commit(null, row(1));
    const socket = connect();
    socket.receive({ ...TOP_TWO_BY_QUANTITY, cursor: '0:5' });
    vi.advanceTimersByTime(options.resumeHoldTimeoutMs);
    expect(socket.all().map((f) => f.type)).toEqual(['reset', 'columns', 'window']);
    expect(socket.frames()).toEqual([
      { type: 'reset', id: 'w', cursor: '0:5', reason: 'cursor-not-reached' },
      expect.objectContaining({ type: 'window', cursor: '0:0', total: 1 }),
    ]);
  });

  it('sends nothing at the timeout to a subscription released or dropped before it', () => {
    const { commit, connect, windows } = setupTimed();
    commit(null, row(1));
    const socket = connect();
    socket.receive({ type: 'subscribe', id: 's', table: 'orders', cursor: '0:1' });
    socket.receive({ ...TOP_TWO_BY_QUANTITY, cursor: '0:1' });
    socket.receive({ type: 'subscribe', id: 'gone', table: 'orders', cursor: '0:1' });
    socket.receive({ type: 'unsubscribe', id: 'gone' });
    commit(null, row(2));
    const released = socket.frames().length;
    expect(socket.frames().map((f) => [f.type, 'id' in f ? f.id : null])).toEqual([
      ['resumed', 's'],
      ['window', 'w'],
    ]);
    vi.advanceTimersByTime(options.resumeHoldTimeoutMs);
    expect(socket.frames()).toHaveLength(released);
    expect(windows.windowCount).toBe(1);
  });

  it('sends a held subscription nothing on a DDL, and the new columns when it is released', () => {
    const { commit, commitUnder, connect } = setup();
    commit(null, row(1));
    const socket = connect();
    socket.receive({ type: 'subscribe', id: 's', table: 'orders', cursor: '0:2' });
    commitUnder(WITH_NOTE, null, noted(2, 'x'));
    expect(socket.all()).toEqual([]);
    commitUnder(WITH_NOTE, null, noted(3, 'y'));
    expect(socket.all()).toEqual([
      expect.objectContaining({ type: 'columns', id: 's', columns: WITH_NOTE.columns }),
      { type: 'resumed', id: 's', from: '0:2', replayed: 0 },
    ]);
  });
});

describe('Hub: the tables a token grants (its tables claim)', () => {
  const grants = (tables: Record<string, SubscriptionFilter>): ConnectionAccess => ({
    tables: new Map(Object.entries(tables)),
    expiresAt: undefined,
  });
  const errorsOf = (socket: FakeSocket) => socket.all().flatMap((f) => (f.type === 'error' ? [[f.code, f.id]] : []));
  const snapshotIds = (socket: FakeSocket) => socket.frames().flatMap((f) => (f.type === 'snapshot' ? f.rows.map((r) => r.id) : []));

  it('refuses a table the token does not name with E_TABLE_NOT_GRANTED, and sends it nothing of the table', () => {
    const { commit, connect } = setup();
    commit(null, row(1));
    const socket = connect(grants({ customers: { tier: { eq: 'pro' } } }));
    subscribeTable(socket);
    commit(null, row(2));
    expect(socket.all()).toEqual([
      { type: 'error', code: 'E_TABLE_NOT_GRANTED', id: 's', message: 'your access token does not grant table "orders"' },
    ]);
  });

  it('keeps E_UNKNOWN_TABLE for a table that is not streamed, granted or not', () => {
    const { connect } = setup();
    const granted = connect(grants({ order_lines: {} }));
    granted.receive({ type: 'subscribe', id: 'l', table: 'order_lines' });
    const notGranted = connect(grants({ orders: {} }));
    notGranted.receive({ type: 'subscribe', id: 'l', table: 'order_lines' });
    expect([errorsOf(granted), errorsOf(notGranted)]).toEqual([[['E_UNKNOWN_TABLE', 'l']], [['E_UNKNOWN_TABLE', 'l']]]);
  });

  it('grants every row of a table named with {}', () => {
    const { commit, connect } = setup();
    commit(null, row(1));
    commit(null, row(2, { customer_name: 'Bob' }));
    const socket = connect(grants({ orders: {}, customers: {} }));
    subscribeTable(socket);
    expect(snapshotIds(socket)).toEqual([1, 2]);
  });

  it('refuses a subscription when the pinned filter does not fit the table: E_UNKNOWN_COLUMN, E_BAD_FILTER', () => {
    const { connect } = setup();
    const unknown = connect(grants({ orders: { tier: { eq: 'pro' } } }));
    subscribeTable(unknown);
    const badValue = connect(grants({ orders: { quantity: { eq: 'many' } } }));
    subscribeTable(badValue);
    expect([errorsOf(unknown), errorsOf(badValue)]).toEqual([[['E_UNKNOWN_COLUMN', 's']], [['E_BAD_FILTER', 's']]]);
    expect(unknown.all()[0]).toMatchObject({ message: expect.stringContaining('your access token\'s filter on table "orders"') });
  });

  it("pins a column of the table's own (not of orders as created): rows compare by the table's columns", () => {
    const { commitUnder, connect } = setup();
    commitUnder(WITH_NOTE, null, noted(1, 'vip'));
    commitUnder(WITH_NOTE, null, noted(2, 'none'));
    const socket = connect(grants({ orders: { note: { eq: 'vip' } } }));
    subscribeTable(socket);
    expect(snapshotIds(socket)).toEqual([1]);
    commitUnder(WITH_NOTE, noted(2, 'none'), noted(2, 'vip')); // enters: its new row is shown, its old one withheld
    commitUnder(WITH_NOTE, noted(1, 'vip'), noted(1, 'none')); // leaves: its old row is shown, its new one withheld
    const shown = socket
      .flat()
      .flatMap((f) => (f.type === 'change' ? [[f.op, f.key.id, f.oldRow?.['note'] ?? null, f.row?.['note'] ?? null]] : []));
    expect(shown).toEqual([
      ['enter', 2, null, 'vip'],
      ['leave', 1, 'vip', null],
    ]);
  });

  it('ends a subscription whose pinned filter names a column a DDL dropped, with E_UNKNOWN_COLUMN', () => {
    const { commit, commitUnder, connect } = setup();
    commit(null, row(1));
    const socket = connect(grants({ orders: { customer_name: { eq: 'Ada' } } }));
    subscribeTable(socket);
    commitUnder(WITH_NOTE, null, noted(2, 'x'));
    socket.sent.length = 0;
    const { customer_name: _gone, ...rest } = noted(3, 'y') as unknown as Record<string, unknown>;
    commitUnder(WITHOUT_CUSTOMER, null, rest as unknown as OrderRow);
    expect(errorsOf(socket)).toEqual([['E_UNKNOWN_COLUMN', 's']]);
    expect(socket.all().filter((f) => f.type !== 'error')).toEqual([]);
  });
});
