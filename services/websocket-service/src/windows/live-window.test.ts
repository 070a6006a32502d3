/**
 * Windows against the obvious definition: after every change, each window's rows equal
 * filter → sort (column, then id, in the window's direction) → slice, and its diff replays to them.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ORDERS_COLUMNS, applyWindowOps, columnInfo, columnLookup, comparatorFor, matchesFilter } from '@orders-live/protocol';
import type { OrderColumn, OrderRow, RowFilter, WindowQuery } from '@orders-live/protocol';
import { subscriberFilter } from '../fanout/subscriber-filter.js';
import { SortedIndex } from './sorted-index.js';
import { LiveWindow } from './live-window.js';
import { changeAt } from './fixtures/table-change.js';

/** The table's columns as database/sql creates them. */
const L = columnLookup(ORDERS_COLUMNS);

const COLUMNS: OrderColumn[] = ['id', 'customer_name', 'status', 'quantity', 'amount', 'created_at'];
const FILTERS: (RowFilter | undefined)[] = [
  undefined,
  { status: { in: ['pending', 'shipped'] } },
  { customer_name: { prefix: 'A' } },
  // Ranges, with bounds the rows below reach exactly in another spelling ("9.5", an instant at +01:00).
  { amount: { gt: '9.50' } },
  { quantity: { gte: 2, lt: 4 } },
  { created_at: { lte: '2026-01-01T01:00:00+01:00' } },
  { customer_name: { gte: 'B', lt: 'b' }, amount: { lte: '10.25' } },
];

const rowArb = (id: number) =>
  fc.record({
    id: fc.constant(id),
    customer_name: fc.constantFrom('Ada', 'Alan', 'Bob', 'bob', 'Zed'),
    product_name: fc.constant('Pen'),
    status: fc.constantFrom('pending' as const, 'shipped' as const, 'delivered' as const),
    quantity: fc.integer({ min: 1, max: 4 }),
    amount: fc.constantFrom('1.00', '9.5', '10.25', '-2.00', '100'),
    created_at: fc.constantFrom('2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000001Z', '2025-06-01T10:00:00+02:00'),
    updated_at: fc.constant('2026-01-01T00:00:00Z'),
  });

function expected(rows: Map<number, OrderRow>, filter: RowFilter | undefined, query: WindowQuery): OrderRow[] {
  const column = query.orderBy.column as OrderColumn;
  const compare = comparatorFor(columnInfo(column)!);
  const sign = query.orderBy.direction === 'asc' ? 1 : -1;
  const order = (a: OrderRow, b: OrderRow) => sign * (compare(a[column], b[column]) || a.id - b.id);
  const sorted = [...rows.values()].filter((row) => matchesFilter(filter, row)).sort(order);
  if (query.after) {
    const key = { ...sorted[0]!, id: query.after.id as number, [column]: query.after.value };
    return sorted.filter((row) => order(row, key) > 0).slice(0, query.limit);
  }
  if (query.before) {
    const key = { ...sorted[0]!, id: query.before.id as number, [column]: query.before.value };
    const before = sorted.filter((row) => order(row, key) < 0);
    return before.slice(Math.max(0, before.length - query.limit));
  }
  const offset = query.offset ?? 0;
  return sorted.slice(offset, offset + query.limit);
}

describe('LiveWindow', () => {
  it('equals filter → sort → slice after every change, and its diffs replay to it', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.tuple(fc.integer({ min: 1, max: 12 }), fc.boolean()), { minLength: 1, maxLength: 40 })
          .chain((steps) => fc.tuple(fc.constant(steps), fc.tuple(...steps.map(([id]) => rowArb(id))))),
        fc.constantFrom(...COLUMNS),
        fc.constantFrom('asc' as const, 'desc' as const),
        fc.constantFrom(...FILTERS),
        fc.integer({ min: 1, max: 4 }),
        fc.oneof(
          fc.constant({}),
          fc.record({ offset: fc.integer({ min: 0, max: 6 }) }),
          fc.constant({ anchor: 'after' }),
          fc.constant({ anchor: 'before' }),
        ),
        ([steps, versions], column, direction, filter, limit, position) => {
          const rows = new Map<number, OrderRow>();
          const index = new SortedIndex(column, subscriberFilter(undefined, filter, L), []);
          // The anchor of a keyset window: the sort value of a fixed probe row.
          const probe = versions[0]!;
          const query: WindowQuery = {
            orderBy: { column, direction },
            limit,
            ...('offset' in position ? { offset: position.offset } : {}),
            ...('anchor' in position ? { [position.anchor]: { value: probe[column], id: probe.id } } : {}),
          };
          const window = new LiveWindow('w', query, index);
          let shown = [...window.state.rows];
          steps.forEach(([id, remove], i) => {
            const previous = rows.get(id) ?? null;
            const next = remove ? null : (versions[i] as OrderRow);
            if (!previous && !next) return;
            const change = changeAt(i, previous, next);
            if (next) rows.set(id, next);
            else rows.delete(id);
            index.apply(change);
            // Where the change landed: a window it lands beyond is only recounted (refresh's shortcut).
            const diff = window.refresh(undefined, index.takeTouched());
            const want = expected(rows, filter, query);
            expect(window.state.rows.map((r) => r.id)).toEqual(want.map((r) => r.id));
            expect(window.state.total).toBe([...rows.values()].filter((r) => matchesFilter(filter, r)).length);
            // The window kept in step equals one computed afresh: rows, offset, total and counts.
            expect(window.state).toEqual(new LiveWindow('fresh', query, index).state);
            if (diff) shown = applyWindowOps(shown, diff.ops, (row) => row['id'] as number) as OrderRow[];
            expect(shown).toEqual(want);
          });
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('reports the rank of its first row in its own order', () => {
    const rows = [1, 2, 3, 4, 5].map((id) => ({
      id,
      customer_name: 'A',
      product_name: 'P',
      status: 'pending' as const,
      quantity: id,
      amount: '1',
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    }));
    const index = new SortedIndex('quantity', subscriberFilter(undefined, undefined, L), rows);
    const offsetOf = (query: Omit<WindowQuery, 'limit'>) => new LiveWindow('w', { limit: 2, ...query }, index).state.offset;
    expect(offsetOf({ orderBy: { column: 'quantity', direction: 'asc' }, offset: 1 })).toBe(1);
    expect(offsetOf({ orderBy: { column: 'quantity', direction: 'desc' }, offset: 1 })).toBe(1);
    expect(offsetOf({ orderBy: { column: 'quantity', direction: 'asc' }, after: { value: 2, id: 2 } })).toBe(2);
    expect(offsetOf({ orderBy: { column: 'quantity', direction: 'desc' }, after: { value: 4, id: 4 } })).toBe(2);
    expect(offsetOf({ orderBy: { column: 'quantity', direction: 'asc' }, before: { value: 4, id: 4 } })).toBe(1);
    expect(offsetOf({ orderBy: { column: 'quantity', direction: 'desc' }, before: { value: 2, id: 2 } })).toBe(1);
    expect(
      new LiveWindow(
        'w',
        { limit: 2, orderBy: { column: 'quantity', direction: 'desc' }, before: { value: 2, id: 2 } },
        index,
      ).state.rows.map((r) => r.id),
    ).toEqual([4, 3]);
  });
});
