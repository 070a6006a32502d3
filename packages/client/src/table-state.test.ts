import { describe, expect, it } from 'vitest';
import { TableState } from './table-state.js';
import { enter, insert, leave, order, remove, reset, resumed, rowChange, snapshot, transaction, update } from './fixtures.js';

function synced(cursor = '0:10', ...rows: ReturnType<typeof order>[]): TableState {
  const view = new TableState('orders');
  view.subscribe();
  view.apply(snapshot(rows, cursor));
  return view;
}

const ids = (view: TableState) => view.rows().map((row) => row.id);

describe('TableState', () => {
  it('subscribes without a cursor until it has applied a snapshot, then with its cursor', () => {
    const view = new TableState('orders', { status: { eq: 'pending' } });
    expect(view.subscribe()).toEqual({ type: 'subscribe', id: 'orders', table: 'orders', filter: { status: { eq: 'pending' } } });
    expect(view.phase).toBe('awaiting-snapshot');
    view.apply(snapshot([order(1)], '0:10'));
    view.apply(insert(order(2), '0:11'));
    expect(view.subscribe()).toEqual({
      type: 'subscribe',
      id: 'orders',
      table: 'orders',
      filter: { status: { eq: 'pending' } },
      cursor: '0:11',
    });
    expect(view.phase).toBe('resuming');
  });

  it('builds a snapshot from its chunks and replaces the view only with the last one', () => {
    const view = synced('0:10', order(99));
    view.subscribe();
    view.apply(reset('0:10'));
    expect(view.apply(snapshot([order(2), order(1)], '0:20', false))).toEqual({ kind: 'snapshot-chunk' });
    expect(ids(view)).toEqual([99]);
    expect(view.cursor).toBe('0:10');
    expect(view.apply(snapshot([order(3)], '0:20', true))).toEqual({
      kind: 'snapshot',
      rows: [order(1), order(2), order(3)],
      cursor: '0:20',
    });
    expect(ids(view)).toEqual([1, 2, 3]);
    expect(view.cursor).toBe('0:20');
    expect(view.phase).toBe('synced');
  });

  it('starts over when a reconnect interrupts a snapshot', () => {
    const view = new TableState('orders');
    view.subscribe();
    view.apply(snapshot([order(1)], '0:5', false));
    view.subscribe();
    view.apply(snapshot([order(2)], '0:6', true));
    expect(ids(view)).toEqual([2]);
  });

  it('applies insert, update, delete, enter and leave, moving the cursor', () => {
    const before = order(1);
    const after = order(1, { status: 'shipped' });
    const view = synced('0:10', before);

    expect(view.apply(insert(order(2), '0:11'))).toMatchObject({
      kind: 'transaction',
      transaction: { changes: [{ op: 'insert', id: 2, row: order(2), previous: undefined }] },
    });
    expect(view.apply(update(before, after, '0:12'))).toMatchObject({
      kind: 'transaction',
      transaction: { changes: [{ op: 'update', id: 1, row: after, previous: before }] },
    });
    expect(view.apply(remove(order(2), '0:13'))).toMatchObject({
      kind: 'transaction',
      transaction: { changes: [{ op: 'delete', id: 2, row: undefined, previous: order(2) }] },
    });
    expect(view.apply(enter(order(5, { status: 'pending' }), order(5, { status: 'shipped' }), '0:14'))).toMatchObject({
      kind: 'transaction',
      transaction: { changes: [{ op: 'enter', row: order(5, { status: 'shipped' }), previous: undefined }] },
    });
    expect(view.apply(leave(after, order(1, { status: 'delivered' }), '0:15'))).toMatchObject({
      kind: 'transaction',
      transaction: { changes: [{ op: 'leave', id: 1, row: undefined, previous: after }] },
    });

    expect(view.rows()).toEqual([order(5, { status: 'shipped' })]);
    expect(view.get(5)?.status).toBe('shipped');
    expect(view.get(1)).toBeUndefined();
    expect(view.size).toBe(1);
    expect(view.cursor).toBe('0:15');
  });

  it('keeps the amount exactly as the decimal string sent', () => {
    const view = synced();
    view.apply(insert(order(1, { amount: '12345678901234567890.12' }), '0:11'));
    expect(view.get(1)?.amount).toBe('12345678901234567890.12');
  });

  it('drops changes at or before its cursor as duplicates, comparing offsets as numbers', () => {
    const view = synced('0:10', order(1));
    expect(view.apply(insert(order(2), '0:10'))).toEqual({ kind: 'duplicate', cursor: '0:10' });
    expect(view.apply(insert(order(2), '0:9'))).toEqual({ kind: 'duplicate', cursor: '0:9' });
    expect(view.apply(insert(order(2), '0:100'))).toMatchObject({ kind: 'transaction' });
    expect(view.apply(remove(order(2), '0:99'))).toEqual({ kind: 'duplicate', cursor: '0:99' });
    expect(ids(view)).toEqual([1, 2]);
    expect(view.cursor).toBe('0:100');
  });

  it('ignores changes before its snapshot is complete, and frames of another subscription', () => {
    const view = new TableState('orders');
    expect(view.apply(snapshot([order(1)], '0:1'))).toEqual({ kind: 'ignored', reason: 'not-subscribed' });
    view.subscribe();
    expect(view.apply(insert(order(1), '0:1'))).toEqual({ kind: 'ignored', reason: 'not-synced' });
    view.apply(snapshot([], '0:5', false));
    expect(view.apply(insert(order(1), '0:6'))).toEqual({ kind: 'ignored', reason: 'not-synced' });
    expect(view.apply(snapshot([order(1)], '0:20', true, 'other'))).toEqual({ kind: 'ignored', reason: 'other-subscription' });
    expect(view.size).toBe(0);
  });

  it('on resumed keeps its rows and applies the changes after its cursor', () => {
    const view = synced('0:10', order(1));
    view.subscribe();
    expect(view.apply(insert(order(2), '0:11'))).toEqual({ kind: 'ignored', reason: 'not-synced' });
    expect(view.apply(resumed('0:10', 2))).toEqual({ kind: 'resumed', from: '0:10', replayed: 2 });
    expect(view.phase).toBe('synced');
    expect(view.apply(insert(order(2), '0:11'))).toMatchObject({ kind: 'transaction' });
    expect(ids(view)).toEqual([1, 2]);
  });

  it('on reset keeps its rows until the snapshot that follows replaces them, even at an older cursor', () => {
    const view = synced('0:10', order(1));
    view.subscribe();
    expect(view.apply(reset('0:10', 'cursor-not-reached'))).toEqual({ kind: 'reset', cursor: '0:10', reason: 'cursor-not-reached' });
    expect(ids(view)).toEqual([1]);
    expect(view.apply(insert(order(3), '0:11'))).toEqual({ kind: 'ignored', reason: 'not-synced' });
    view.apply(snapshot([order(2)], '0:8'));
    expect(ids(view)).toEqual([2]);
    expect(view.cursor).toBe('0:8');
    expect(view.apply(insert(order(3), '0:9'))).toMatchObject({ kind: 'transaction' });
  });

  it('reports frames that break the protocol as invalid, leaving the view as it was', () => {
    const view = synced('0:10', order(1));
    expect(view.apply(insert(order(2), 'not-a-cursor'))).toMatchObject({ kind: 'invalid' });
    const withChange = (patch: object) => {
      const frame = insert(order(2), '0:11');
      return { ...frame, changes: [{ ...frame.changes[0]!, ...patch }] };
    };
    expect(view.apply(withChange({ row: null }))).toMatchObject({ kind: 'invalid' });
    expect(view.apply(withChange({ key: { id: 3 } }))).toMatchObject({ kind: 'invalid' });
    // A transaction applies whole or not at all: a bad second change leaves the first unapplied.
    expect(view.apply(transaction([rowChange('insert', order(4), null, '0:11'), rowChange('insert', null, null, '0:12')]))).toMatchObject({
      kind: 'invalid',
    });
    expect(view.apply(snapshot([], 'nope'))).toMatchObject({ kind: 'invalid' });
    expect(view.apply(resumed('0:10', 0))).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/no resume/) });
    expect(view.apply(reset('0:10'))).toMatchObject({ kind: 'invalid' });
    view.subscribe();
    expect(view.apply(resumed('0:9', 0))).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/0:9/) });
    expect(view.phase).toBe('resuming');
    expect(ids(view)).toEqual([1]);
    expect(view.cursor).toBe('0:10');
  });
});
