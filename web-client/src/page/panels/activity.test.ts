import { describe, expect, it } from 'vitest';
import { orderRow } from '@orders-live/testkit/rows';
import type { WindowEvent } from '@orders-live/client';
import type { OrderRow } from '@orders-live/protocol';
import { activityEntry } from './activity.js';
import { RowIdentity } from '../tables/row-identity.js';

const orders = new RowIdentity();

const at = '2026-12-01T10:00:00Z';
const row = (id: number, patch: Partial<OrderRow> = {}) =>
  orderRow(id, { customer_name: `C${id}`, created_at: at, updated_at: at, ...patch });
const hops = { commitToKafkaMs: 10, kafkaToServiceMs: 2, serviceToScreenMs: 5, totalMs: 17, replay: false };
const event = (rows: OrderRow[], ops: WindowEvent['ops'], cursor = '0:9'): WindowEvent => ({
  rows,
  offset: 0,
  total: rows.length,
  counts: {},
  cursor,
  ops,
  txId: 42,
  commitTime: 1,
  kafkaTime: 11,
  sentAt: 13,
  summary: undefined,
});

describe('activityEntry', () => {
  it('says what one change did, in words, with the raw change behind it', () => {
    const before = event([row(1)], undefined);
    const after = event(
      [row(1, { status: 'shipped' })],
      [{ op: 'change', row: row(1, { status: 'shipped' }), changed: ['status'], lsn: 26422144 }],
      '0:17',
    );
    const entry = activityEntry([{ event: after, before }], hops, 100, orders)!;
    expect(entry).toMatchObject({ kind: 'update', txId: 42, ids: [1], changes: 1, summary: 'status pending → shipped' });
    expect(entry.raw()).toEqual({
      txId: 42,
      partition: 0,
      offset: '17',
      lsn: '0/1932B80',
      commitTime: 1,
      kafkaTime: 11,
      sentAt: 13,
      ops: [{ op: 'change', id: 1, lsn: '0/1932B80', before: row(1), after: row(1, { status: 'shipped' }) }],
    });
    expect(Object.keys(entry.raw())).toEqual(['txId', 'partition', 'offset', 'lsn', 'commitTime', 'kafkaTime', 'sentAt', 'ops']);
  });

  it('groups a transaction, over however many frames, into one entry', () => {
    const first = event([row(1)], [{ op: 'enter', row: row(1), index: 0, lsn: 0x1_0000_0010 }]);
    const second = event(
      [row(2), row(1)],
      [
        { op: 'enter', row: row(2), index: 0, lsn: 0x1_0000_0020 },
        { op: 'leave', key: { id: 9 }, reason: 'deleted', lsn: 0x1_0000_0030 },
      ],
    );
    const entry = activityEntry(
      [
        { event: first, before: undefined },
        { event: second, before: first },
      ],
      hops,
      100,
      orders,
    )!;
    expect(entry).toMatchObject({ kind: 'transaction', ids: [1, 2, 9], labels: ['1', '2', '9'], changes: 3, summary: '2 new · 1 deleted' });
    // The transaction's LSN is its last change's; each step keeps its own.
    expect(entry.raw().lsn).toBe('1/30');
    expect(entry.raw().ops.map((op) => op.lsn)).toEqual(['1/10', '1/20', '1/30']);
  });

  it('has nothing to say about a diff that only moved totals, and calls an insert that pushed a row off the window an insert', () => {
    expect(activityEntry([{ event: event([], []), before: undefined }], hops, 1, orders)).toBeUndefined();
    const pushed = event(
      [row(2)],
      [
        { op: 'enter', row: row(2), index: 0, lsn: 5 },
        { op: 'leave', key: { id: 1 }, reason: 'moved' },
      ],
    );
    const entry = activityEntry([{ event: pushed, before: event([row(1)], undefined) }], hops, 1, orders)!;
    expect(entry).toMatchObject({ kind: 'insert', ids: [2], changes: 1 });
    expect(entry.raw().ops).toHaveLength(2);
    // The row pushed out was not changed: its step has no LSN, and the transaction's is the insert's.
    expect(entry.raw().ops[1]).not.toHaveProperty('lsn');
    expect(entry.raw().lsn).toBe('0/5');
  });

  it("counts a transaction whole from the frames' summary, not from the rows on screen", () => {
    const before = event([row(1), row(2)], undefined);
    // A 100,000-row insert: two rows enter the window, one is pushed out at its edge.
    const insert = {
      ...event(
        [row(200_000), row(199_999)],
        [
          { op: 'enter', row: row(200_000), index: 0, lsn: 1 },
          { op: 'enter', row: row(199_999), index: 1, lsn: 2 },
          { op: 'leave', key: { id: 1 }, reason: 'moved' },
          { op: 'leave', key: { id: 2 }, reason: 'moved' },
        ],
      ),
      summary: { inserted: 100_000, updated: 0, deleted: 0 },
    };
    const entry = activityEntry([{ event: insert, before }], hops, 100, orders)!;
    expect(entry).toMatchObject({ kind: 'transaction', changes: 100_000, summary: '100,000 new', ids: [200_000, 199_999] });
    // A delete of 56 rows: the rows that slide up into the window are not "new".
    const shifted = {
      ...event(
        [row(3)],
        [
          { op: 'leave', key: { id: 1 }, reason: 'deleted', lsn: 5 },
          { op: 'leave', key: { id: 2 }, reason: 'deleted', lsn: 6 },
          { op: 'enter', row: row(3), index: 0 },
        ],
      ),
      summary: { inserted: 0, updated: 0, deleted: 56 },
    };
    expect(activityEntry([{ event: shifted, before }], hops, 100, orders)).toMatchObject({ changes: 56, summary: '56 deleted' });
    // A first part that moved no row on screen (the oldest rows deleted first) still counts.
    const unseen = { ...event([row(1), row(2)], []), summary: { inserted: 0, updated: 0, deleted: 44 } };
    expect(activityEntry([{ event: unseen, before }], hops, 100, orders)).toBeUndefined();
    expect(
      activityEntry(
        [
          { event: unseen, before },
          { event: shifted, before },
        ],
        hops,
        100,
        orders,
      ),
    ).toMatchObject({ changes: 100, summary: '100 deleted' });
    // Parts of one transaction (same txId over two frames) add up.
    const part = (n: number) => ({
      ...event([row(1)], [{ op: 'change', row: row(1, { quantity: n }), changed: ['quantity'], lsn: n }]),
      summary: { inserted: 0, updated: n, deleted: 0 },
    });
    expect(
      activityEntry(
        [
          { event: part(3), before },
          { event: part(4), before },
        ],
        hops,
        100,
        orders,
      ),
    ).toMatchObject({ changes: 7, summary: '7 changed' });
  });

  it("names another table's rows by their key: an order line's composite key, its row described by its own columns", () => {
    const lines = new RowIdentity('order_lines', ['order_id', 'line_no']);
    const line = (lineNo: number, quantity: number) => ({
      order_id: 12,
      line_no: lineNo,
      product_name: 'Tea',
      quantity,
      unit_price: '2.50',
    });
    const before = { ...event([], undefined), rows: [line(1, 1), line(2, 1)] } as unknown as WindowEvent;
    const after = {
      ...event([], [{ op: 'change', row: line(2, 4), changed: ['quantity'] }]),
      rows: [line(1, 1), line(2, 4)],
    } as unknown as WindowEvent;
    const entry = activityEntry([{ event: after, before }], hops, 100, lines)!;
    expect(entry).toMatchObject({ kind: 'update', ids: [lines.idOf(line(2, 4))], labels: ['12/2'], summary: 'quantity 1 → 4' });
    expect(entry.raw().ops[0]).toMatchObject({ before: line(2, 1), after: line(2, 4) });
    const gone = {
      ...event([], [{ op: 'leave', key: { id: lines.idOf(line(1, 1)) }, reason: 'deleted' }]),
      rows: [line(2, 4)],
    } as unknown as WindowEvent;
    expect(activityEntry([{ event: gone, before: after }], hops, 200, lines)).toMatchObject({
      kind: 'delete',
      labels: ['12/1'],
      summary: 'deleted · Tea · 1 · 2.50',
    });
  });
});
