import { describe, expect, it } from 'vitest';
import type { OrderRow, OrderStatus } from '@orders-live/protocol';
import { applyToCounts, countStatuses, NO_COUNTS } from './status-counts.js';

function order(id: number, status: OrderStatus): OrderRow {
  const at = '2026-01-01T00:00:00Z';
  return { id, customer_name: 'c', product_name: 'p', status, quantity: 1, amount: '1.00', created_at: at, updated_at: at };
}

describe('status counts', () => {
  it('counts a snapshot', () => {
    expect(countStatuses([])).toEqual(NO_COUNTS);
    expect(countStatuses([order(1, 'pending'), order(2, 'pending'), order(3, 'delivered')])).toEqual({ pending: 2, shipped: 0, delivered: 1 });
  });

  it('follows inserts, status changes and deletes', () => {
    let counts = countStatuses([order(1, 'pending')]);
    counts = applyToCounts(counts, undefined, order(2, 'shipped'));
    expect(counts).toEqual({ pending: 1, shipped: 1, delivered: 0 });
    counts = applyToCounts(counts, order(1, 'pending'), order(1, 'shipped'));
    expect(counts).toEqual({ pending: 0, shipped: 2, delivered: 0 });
    counts = applyToCounts(counts, order(2, 'shipped'), undefined);
    expect(counts).toEqual({ pending: 0, shipped: 1, delivered: 0 });
  });

  it('returns the same counts when the status did not change', () => {
    const counts = countStatuses([order(1, 'pending')]);
    expect(applyToCounts(counts, order(1, 'pending'), { ...order(1, 'pending'), quantity: 5 })).toBe(counts);
  });
});
