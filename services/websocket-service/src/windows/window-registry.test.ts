import { describe, expect, it } from 'vitest';
import { ORDERS_COLUMNS, columnLookup, formatCursor, type OrderRow, type WindowQuery } from '@orders-live/protocol';
import { MAX_IDLE_INDEXES, WindowRegistry } from './window-registry.js';
import { subscriberFilter } from '../fanout/subscriber-filter.js';
import type { TableChange } from '../table/table-view.js';

const L = columnLookup(ORDERS_COLUMNS);
const ALL = subscriberFilter(undefined, undefined, L);

const row = (id: number, amount: string): OrderRow => ({
  id,
  customer_name: `customer ${id}`,
  product_name: 'Pen',
  status: 'pending',
  quantity: 1,
  amount,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});

function insert(rows: Map<number, OrderRow>, next: OrderRow, offset: number): TableChange {
  rows.set(next.id, next);
  const position = { partition: 0, offset: BigInt(offset) };
  return {
    op: 'insert',
    key: { id: next.id },
    id: next.id,
    row: next,
    oldRow: null,
    changed: [],
    commitTime: 0,
    kafkaTime: 0,
    txId: offset,
    lsn: offset * 8,
    position,
    cursor: formatCursor(position),
  };
}

const byAmount = (offset: number): WindowQuery => ({ orderBy: { column: 'amount', direction: 'asc' }, limit: 2, offset });

describe('WindowRegistry', () => {
  it('keeps an index its last window released, maintained, for the next window over it', () => {
    const rows = new Map([1, 2, 3].map((id) => [id, row(id, `${id}0.5`)]));
    const registry = new WindowRegistry(() => rows.values());
    const first = registry.acquire(ALL, byAmount(0));
    const index = first.index;
    registry.release(first);
    expect([registry.indexCount, registry.idleIndexCount]).toEqual([0, 1]);
    // A change while no window reads the index still reaches it.
    registry.apply({ txId: 1, commitTime: 0, kafkaTime: 0, changes: [insert(rows, row(4, '1.5'), 1)] });
    const second = registry.acquire(ALL, { ...byAmount(1), orderBy: { column: 'amount', direction: 'desc' } });
    expect(second.index).toBe(index);
    expect([registry.indexCount, registry.idleIndexCount]).toEqual([1, 0]);
    expect(second.state.rows.map((r) => r.id)).toEqual([2, 1]);
    expect(second.state.total).toBe(4);
  });

  it('drops the least recently used idle index past the bound', () => {
    const rows = new Map([[1, row(1, '1')]]);
    const registry = new WindowRegistry(() => rows.values());
    const filters = Array.from({ length: MAX_IDLE_INDEXES + 1 }, (_, i) => subscriberFilter(undefined, { quantity: { eq: i } }, L));
    const first = registry.acquire(filters[0]!, byAmount(0));
    const oldest = first.index;
    registry.release(first);
    for (const filter of filters.slice(1)) registry.release(registry.acquire(filter, byAmount(0)));
    expect(registry.idleIndexCount).toBe(MAX_IDLE_INDEXES);
    expect(registry.acquire(filters[0]!, byAmount(0)).index).not.toBe(oldest);
    expect(registry.acquire(filters.at(-1)!, byAmount(0)).index).toBe(registry.acquire(filters.at(-1)!, byAmount(1)).index);
  });

  it('drops no idle index on release: a page resubscribing all its windows finds every index again', () => {
    const rows = new Map([[1, row(1, '1')]]);
    const registry = new WindowRegistry(() => rows.values());
    const filters = Array.from({ length: MAX_IDLE_INDEXES + 2 }, (_, i) => subscriberFilter(undefined, { quantity: { eq: i } }, L));
    const windows = filters.map((filter) => registry.acquire(filter, byAmount(0)));
    const indexes = windows.map((window) => window.index);
    for (const window of windows) registry.release(window);
    expect(registry.idleIndexCount).toBe(MAX_IDLE_INDEXES + 2);
    expect(filters.map((filter) => registry.acquire(filter, byAmount(0)).index)).toEqual(indexes);
    expect([registry.indexCount, registry.idleIndexCount]).toEqual([MAX_IDLE_INDEXES + 2, 0]);
  });

  it('builds a narrower filter in the same order from the wider index, in order, and keeps it in step', () => {
    const amounts = ['7.5', '10.25', '2', '10.25', '0.5', '99'];
    const rows = new Map(amounts.map((amount, i) => [i + 1, { ...row(i + 1, amount), quantity: 1 + (i % 2) }]));
    const registry = new WindowRegistry(() => rows.values());
    const all = registry.acquire(ALL, { ...byAmount(0), limit: 10 });
    const odd = subscriberFilter(undefined, { quantity: { eq: 1 } }, L);
    const narrower = registry.acquire(odd, { ...byAmount(0), limit: 10 });
    expect(narrower.index).not.toBe(all.index);
    // Rows 1, 3, 5 (quantity 1) by amount, then id: exactly what sorting the filtered rows gives.
    expect(narrower.state.rows.map((r) => r.id)).toEqual([5, 3, 1]);
    expect(narrower.state.total).toBe(3);
    registry.apply({ txId: 1, commitTime: 0, kafkaTime: 0, changes: [insert(rows, { ...row(7, '1'), quantity: 1 }, 1)] });
    expect(narrower.state.rows.map((r) => r.id)).toEqual([5, 7, 3, 1]);
    expect(all.state.total).toBe(7);
  });

  it("names in a window's change the columns the view says changed: an added column's too", () => {
    // `note` came with a DDL, and no trigger stamps updated_at: the change is to `note` alone.
    const noted = (id: number, note: string | null, quantity = 1) => ({ ...row(id, `${id}.5`), quantity, note }) as OrderRow;
    const rows = new Map([1, 2].map((id) => [id, noted(id, null)]));
    const registry = new WindowRegistry(() => rows.values());
    const window = registry.acquire(ALL, byAmount(0));
    let offset = 10;
    const update = (next: OrderRow, changed: string[]): TableChange => {
      const change = { ...insert(rows, next, (offset += 1)), op: 'update' as const, oldRow: rows.get(next.id)!, changed };
      rows.set(next.id, next);
      return change;
    };
    const once = update(noted(1, 'call first'), ['note']);
    const diff = registry.apply({ txId: 1, commitTime: 0, kafkaTime: 0, changes: [once] }).get(window);
    expect(diff?.ops).toEqual([{ op: 'change', row: once.row, changed: ['note'], lsn: once.lsn }]);
    // Twice in one transaction: what the transaction changed in all, not its last change alone.
    const first = update(noted(2, 'x', 5), ['quantity', 'note']);
    const second = update(noted(2, 'y', 1), ['quantity', 'note']);
    const twice = registry.apply({ txId: 2, commitTime: 0, kafkaTime: 0, changes: [first, second] }).get(window);
    expect(twice?.ops).toEqual([{ op: 'change', row: second.row, changed: ['note'], lsn: second.lsn }]);
  });

  it('gains a row an update takes above a range bound and loses it when one takes it back to or below', () => {
    // amount gt "100" compares as numbers: "100.5" is above, "100.00" is not (equal), "99.99" below.
    const rows = new Map([
      [1, row(1, '50')],
      [2, row(2, '150')],
    ]);
    const registry = new WindowRegistry(() => rows.values());
    const window = registry.acquire(subscriberFilter(undefined, { amount: { gt: '100' } }, L), { ...byAmount(0), limit: 10 });
    expect(window.state.rows.map((r) => r.id)).toEqual([2]);
    let offset = 20;
    const update = (next: OrderRow): TableChange => {
      const oldRow = rows.get(next.id)!;
      return { ...insert(rows, next, (offset += 1)), op: 'update', oldRow, changed: ['amount'] };
    };
    const apply = (change: TableChange) => registry.apply({ txId: offset, commitTime: 0, kafkaTime: 0, changes: [change] }).get(window);

    const above = update(row(1, '100.5'));
    expect(apply(above)?.ops).toEqual([{ op: 'enter', row: above.row, index: 0, lsn: above.lsn }]);
    expect(window.state.rows.map((r) => r.id)).toEqual([1, 2]);
    expect(window.state.total).toBe(2);

    const onTheBound = update(row(1, '100.00'));
    expect(apply(onTheBound)?.ops).toEqual([{ op: 'leave', key: { id: 1 }, reason: 'filtered', lsn: onTheBound.lsn }]);
    expect(window.state.rows.map((r) => r.id)).toEqual([2]);

    expect(apply(update(row(1, '100.01')))?.ops.map((op) => op.op)).toEqual(['enter']);
    const below = update(row(1, '99.99'));
    expect(apply(below)?.ops).toEqual([{ op: 'leave', key: { id: 1 }, reason: 'filtered', lsn: below.lsn }]);
    expect(window.state.rows.map((r) => r.id)).toEqual([2]);
    expect(window.state.total).toBe(1);
    // Moving outside the range is nothing to the window.
    expect(apply(update(row(1, '7')))).toBeUndefined();
  });

  it("summarises the whole transaction per window's filter, however few of its rows the window shows", () => {
    const rows = new Map([1, 2, 3].map((id) => [id, row(id, `${id}`)]));
    const registry = new WindowRegistry(() => rows.values());
    const top = registry.acquire(ALL, { ...byAmount(0), limit: 1 });
    const ones = registry.acquire(subscriberFilter(undefined, { quantity: { eq: 1 } }, L), { ...byAmount(0), limit: 1 });
    const inserts = [10, 11, 12].map((id, i) => insert(rows, { ...row(id, '0.1'), quantity: id === 12 ? 2 : 1 }, 10 + i));
    const gone = rows.get(3)!;
    const deleted: TableChange = { ...inserts[0]!, op: 'delete', key: { id: 3 }, id: 3, row: null, oldRow: gone };
    const changed = registry.apply({ txId: 9, commitTime: 0, kafkaTime: 0, changes: [...inserts, deleted] });
    // One row on screen each, but the transaction whole: 3 inserts (2 matching quantity 1), 1 delete.
    expect(changed.get(top)?.summary).toEqual({ inserted: 3, updated: 0, deleted: 1 });
    expect(changed.get(ones)?.summary).toEqual({ inserted: 2, updated: 0, deleted: 1 });
    expect(changed.get(top)?.ops.length).toBeLessThanOrEqual(2);
  });
});
