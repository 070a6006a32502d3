/**
 * A large transaction applied by rebuilding the index (applyAll's bulk path) leaves exactly what
 * applying it change by change leaves: the same entries in the same order, counts, and the same
 * changes reported as applied; and a window over it equals one computed afresh.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ORDERS_COLUMNS, columnLookup } from '@orders-live/protocol';
import type { OrderColumn, OrderRow, RowFilter } from '@orders-live/protocol';
import { subscriberFilter } from '../fanout/subscriber-filter.js';
import { SortedIndex } from './sorted-index.js';
import { LiveWindow } from './live-window.js';
import type { TableChange } from '../table/table-view.js';
import { changeAt } from './fixtures/table-change.js';

const L = columnLookup(ORDERS_COLUMNS);
const COLUMNS: OrderColumn[] = ['id', 'customer_name', 'status', 'quantity', 'amount'];
const FILTERS: (RowFilter | undefined)[] = [undefined, { status: { in: ['pending', 'shipped'] } }, { amount: { gt: '9.50' } }];

const rowArb = (id: number) =>
  fc.record({
    id: fc.constant(id),
    customer_name: fc.constantFrom('Ada', 'Alan', 'Bob', 'Zed'),
    product_name: fc.constant('Pen'),
    status: fc.constantFrom('pending' as const, 'shipped' as const, 'delivered' as const),
    quantity: fc.integer({ min: 1, max: 4 }),
    amount: fc.constantFrom('1.00', '9.5', '10.25', '100'),
    created_at: fc.constant('2026-01-01T00:00:00Z'),
    updated_at: fc.constant('2026-01-01T00:00:00Z'),
  });

/** Changes against `rows` (mutated to the end state): inserts, updates, deletes, a row touched more than once. */
function changesOf(rows: Map<number, OrderRow>, steps: readonly [number, boolean, OrderRow][]): TableChange[] {
  const changes: TableChange[] = [];
  steps.forEach(([id, remove, version], i) => {
    const previous = rows.get(id) ?? null;
    const next = remove ? null : version;
    if (!previous && !next) return;
    if (next) rows.set(id, next);
    else rows.delete(id);
    changes.push(changeAt(i, previous, next, 1));
  });
  return changes;
}

const stepsArb = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.boolean()), { minLength: 1, maxLength: 60 })
  .chain((steps) => fc.tuple(...steps.map(([id, remove]) => fc.tuple(fc.constant(id), fc.constant(remove), rowArb(id)))));

describe('SortedIndex.applyAll', () => {
  it('rebuilt at once equals applied change by change', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 30 }).chain((ids) => fc.tuple(...[...new Set(ids)].map(rowArb))),
        stepsArb,
        fc.constantFrom(...COLUMNS),
        fc.constantFrom(...FILTERS),
        (initial, steps, column, filter) => {
          const rows = new Map(initial.map((row) => [row.id, row as OrderRow]));
          const filters = subscriberFilter(undefined, filter, L);
          const oneByOne = new SortedIndex(column, filters, rows.values());
          const rebuilt = new SortedIndex(column, filters, rows.values());
          const changes = changesOf(rows, steps);
          const appliedOne: TableChange[] = [];
          const appliedBulk: TableChange[] = [];
          oneByOne.applyAll(changes, (change) => appliedOne.push(change), false);
          rebuilt.applyAll(changes, (change) => appliedBulk.push(change), true);
          expect([...rebuilt.rows()]).toEqual([...oneByOne.rows()]);
          expect(rebuilt.counts('status')).toEqual(oneByOne.counts('status'));
          expect(rebuilt.total).toBe(oneByOne.total);
          expect(appliedBulk).toEqual(appliedOne);
          // The rebuilt tree answers ranks and walks like any other: a window over it equals a fresh one.
          const query = { orderBy: { column, direction: 'desc' as const }, limit: 5, offset: 2 };
          expect(new LiveWindow('w', query, rebuilt).state).toEqual(new LiveWindow('w', query, oneByOne).state);
        },
      ),
      { numRuns: 500 },
    );
  });
});
