import { describe, expect, it } from 'vitest';
import { OrdersView } from './orders-view.js';
import { insert, order, remove, snapshot, update } from './fixtures.js';

function syncedView(...rows: ReturnType<typeof order>[]): OrdersView {
  const view = new OrdersView('orders');
  view.apply(snapshot(rows, '0:10'));
  return view;
}

describe('OrdersView', () => {
  it('builds the view from a snapshot sent in chunks, the first chunk clearing what was there', () => {
    const view = syncedView(order(99));
    view.expectSnapshot();
    expect(view.apply(snapshot([order(1), order(2)], '0:20', false))).toMatchObject({ kind: 'snapshot', first: true, done: false });
    expect(view.apply(snapshot([order(3)], '0:20', true))).toMatchObject({ kind: 'snapshot', first: false, done: true });
    expect([...view.rows.keys()]).toEqual([1, 2, 3]);
    expect(view.cursor).toBe('0:20');
  });

  it('keeps the old rows on screen until the new snapshot arrives', () => {
    const view = syncedView(order(1));
    view.expectSnapshot();
    expect(view.size).toBe(1);
  });

  it('applies insert, update and delete in cursor order', () => {
    const before = order(1);
    const after = order(1, { status: 'shipped', updated_at: '2025-01-03T00:00:00Z' });
    const view = syncedView(before);

    expect(view.apply(insert(order(2), '0:11'))).toEqual({ kind: 'insert', row: order(2) });
    expect(view.apply(update(before, after, '0:12'))).toEqual({ kind: 'update', row: after, changed: ['status', 'updated_at'] });
    expect(view.apply(remove(order(2), '0:13'))).toEqual({ kind: 'delete', id: 2 });

    expect([...view.rows.values()]).toEqual([after]);
    expect(view.cursor).toBe('0:13');
  });

  it('keeps the amount exactly as the decimal string sent', () => {
    const view = syncedView();
    view.apply(insert(order(1, { amount: '12345678901234567890.12' }), '0:11'));
    expect(view.rows.get(1)?.amount).toBe('12345678901234567890.12');
  });

  it('drops changes at or before the last cursor (replays), comparing offsets as numbers', () => {
    const view = syncedView(order(1));
    expect(view.apply(insert(order(2), '0:10'))).toEqual({ kind: 'dropped', reason: 'stale-cursor' });
    expect(view.apply(insert(order(2), '0:9'))).toEqual({ kind: 'dropped', reason: 'stale-cursor' });
    expect(view.apply(insert(order(2), '0:100'))).toMatchObject({ kind: 'insert' });
    expect(view.apply(remove(order(2), '0:99'))).toEqual({ kind: 'dropped', reason: 'stale-cursor' });
    expect(view.size).toBe(2);
  });

  it('drops changes that arrive before the snapshot is complete', () => {
    const view = new OrdersView('orders');
    expect(view.apply(insert(order(1), '0:1'))).toEqual({ kind: 'dropped', reason: 'before-snapshot' });
    view.apply(snapshot([], '0:5', false));
    expect(view.apply(insert(order(1), '0:6'))).toEqual({ kind: 'dropped', reason: 'before-snapshot' });
    expect(view.size).toBe(0);
  });

  it('treats an insert of a known row as an update and an update of an unknown row as an insert', () => {
    const view = syncedView(order(1));
    expect(view.apply(insert(order(1, { quantity: 5 }), '0:11'))).toEqual({ kind: 'update', row: order(1, { quantity: 5 }), changed: ['quantity'] });
    expect(view.apply(update(order(7), order(7, { quantity: 2 }), '0:12'))).toMatchObject({ kind: 'insert' });
  });

  it('ignores frames of another subscription', () => {
    const view = syncedView();
    expect(view.apply(snapshot([order(1)], '0:20', true, 'other'))).toEqual({ kind: 'dropped', reason: 'other-subscription' });
    expect(view.size).toBe(0);
  });

  it('reports frames that break the protocol as invalid, leaving the view as it was', () => {
    const view = syncedView(order(1));
    expect(view.apply(insert(order(2), 'not-a-cursor'))).toMatchObject({ kind: 'invalid' });
    expect(view.apply({ ...insert(order(2), '0:11'), row: null })).toMatchObject({ kind: 'invalid' });
    expect(view.apply({ ...insert(order(2), '0:11'), key: { id: 3 } })).toMatchObject({ kind: 'invalid' });
    expect(view.apply(snapshot([], 'nope'))).toMatchObject({ kind: 'invalid' });
    expect([...view.rows.keys()]).toEqual([1]);
    expect(view.cursor).toBe('0:10');
  });
});
