import { describe, expect, it } from 'vitest';
import type { OrderRow } from '@orders-live/protocol';
import { compareDecimals, compareInstants, DEFAULT_SORT, indexOfRow, insertionIndex, nextSort, sortRows, type SortOrder } from './sort.js';

function order(id: number, fields: Partial<OrderRow> = {}): OrderRow {
  const at = '2026-01-01T00:00:00.000000Z';
  return { id, customer_name: `c${id}`, product_name: 'p', status: 'pending', quantity: 1, amount: '1.00', created_at: at, updated_at: at, ...fields };
}

const ids = (rows: readonly OrderRow[]) => rows.map((row) => row.id);

describe('sortRows', () => {
  it('sorts by id by default', () => {
    expect(ids(sortRows([order(3), order(1), order(2)], DEFAULT_SORT))).toEqual([1, 2, 3]);
  });

  it('sorts amounts as exact decimals, not as text or floats', () => {
    const rows = [order(1, { amount: '100.00' }), order(2, { amount: '9.5' }), order(3, { amount: '9.49' }), order(4, { amount: '9999999999.99' })];
    expect(ids(sortRows(rows, { column: 'amount', direction: 'ascending' }))).toEqual([3, 2, 1, 4]);
    expect(ids(sortRows(rows, { column: 'amount', direction: 'descending' }))).toEqual([4, 1, 2, 3]);
  });

  it('sorts statuses in lifecycle order, ties by id (reversed when descending)', () => {
    const rows = [order(1, { status: 'delivered' }), order(2, { status: 'pending' }), order(3, { status: 'shipped' }), order(4, { status: 'pending' })];
    expect(ids(sortRows(rows, { column: 'status', direction: 'ascending' }))).toEqual([2, 4, 3, 1]);
    expect(ids(sortRows(rows, { column: 'status', direction: 'descending' }))).toEqual([1, 3, 4, 2]);
  });

  it('sorts names as people read them (case-insensitive, numbers by value)', () => {
    const rows = [order(1, { customer_name: 'bob' }), order(2, { customer_name: 'Alice' }), order(3, { customer_name: 'Customer 10' }), order(4, { customer_name: 'Customer 9' })];
    expect(ids(sortRows(rows, { column: 'customer_name', direction: 'ascending' }))).toEqual([2, 1, 4, 3]);
  });

  it('sorts timestamps to the microsecond, whatever their offset', () => {
    const rows = [
      order(1, { updated_at: '2026-01-01T00:00:00.000002Z' }),
      order(2, { updated_at: '2026-01-01T00:00:00.000001Z' }),
      order(3, { updated_at: '2026-01-01T01:00:00+02:00' }), // 2025-12-31T23:00Z
      order(4, { updated_at: '2026-01-01T00:00:00Z' }),
    ];
    expect(ids(sortRows(rows, { column: 'updated_at', direction: 'ascending' }))).toEqual([3, 4, 2, 1]);
  });
});

describe('insertionIndex and indexOfRow', () => {
  const sort: SortOrder = { column: 'quantity', direction: 'ascending' };
  const sorted = sortRows([order(1, { quantity: 5 }), order(2, { quantity: 1 }), order(3, { quantity: 5 }), order(4, { quantity: 9 })], sort);

  it('finds where a new row goes, after rows that compare equal on the column but have a lower id', () => {
    expect(ids(sorted)).toEqual([2, 1, 3, 4]);
    expect(insertionIndex(sorted, order(5, { quantity: 5 }), sort)).toBe(3);
    expect(insertionIndex(sorted, order(0, { quantity: 5 }), sort)).toBe(1);
    expect(insertionIndex(sorted, order(6, { quantity: 100 }), sort)).toBe(4);
    expect(insertionIndex([], order(6), sort)).toBe(0);
  });

  it('finds a row that is there, and says -1 for one that is not', () => {
    expect(indexOfRow(sorted, order(3, { quantity: 5 }), sort)).toBe(2);
    expect(indexOfRow(sorted, order(3, { quantity: 6 }), sort)).toBe(-1);
  });
});

describe('nextSort', () => {
  it('flips the direction of the same column and starts another column ascending', () => {
    expect(nextSort(DEFAULT_SORT, 'id')).toEqual({ column: 'id', direction: 'descending' });
    expect(nextSort({ column: 'id', direction: 'descending' }, 'id')).toEqual({ column: 'id', direction: 'ascending' });
    expect(nextSort({ column: 'id', direction: 'descending' }, 'amount')).toEqual({ column: 'amount', direction: 'ascending' });
  });
});

describe('compareDecimals', () => {
  it('compares signs, lengths and fractions exactly', () => {
    expect(compareDecimals('10', '9.99')).toBeGreaterThan(0);
    expect(compareDecimals('1.10', '1.1')).toBe(0);
    expect(compareDecimals('007.5', '7.50')).toBe(0);
    expect(compareDecimals('-2', '-10')).toBeGreaterThan(0);
    expect(compareDecimals('-0.00', '0')).toBe(0);
    expect(compareDecimals('-0.01', '0')).toBeLessThan(0);
    expect(compareDecimals('123456789012345678901234567890.01', '123456789012345678901234567890.001')).toBeGreaterThan(0);
  });
});

describe('compareInstants', () => {
  it('puts text that does not parse first', () => {
    expect(compareInstants('garbage', '2026-01-01T00:00:00Z')).toBeLessThan(0);
    expect(compareInstants('2026-01-01T00:00:00Z', 'garbage')).toBeGreaterThan(0);
  });
});
