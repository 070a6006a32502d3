import { describe, expect, it } from 'vitest';
import type { AppliedChange } from '@orders-live/client';
import type { ChangeOp, OrderRow } from '@orders-live/protocol';
import { activityEntry } from './activity.js';

const at = '2026-01-01T00:00:00Z';
const pen: OrderRow = { id: 4, customer_name: 'Ada', product_name: 'Pen', status: 'pending', quantity: 2, amount: '45.75', created_at: at, updated_at: at };
const COMMIT = 1_000_000;

function applied(op: ChangeOp, previous: OrderRow | undefined, row: OrderRow | undefined, changed: string[]): AppliedChange {
  return {
    op,
    id: 4,
    row,
    previous,
    change: { op, key: { id: 4 }, row: row ?? null, oldRow: previous ?? null, changed, cursor: '0:1' },
    cursor: '0:1',
    txId: 1,
    commitTime: COMMIT,
  };
}

describe('activityEntry', () => {
  it('describes an insert, with its commit → screen latency', () => {
    expect(activityEntry(applied('insert', undefined, pen, Object.keys(pen)), COMMIT + 42)).toEqual({
      op: 'insert',
      id: 4,
      customer: 'Ada',
      summary: '2 × Pen · 45.75 · pending',
      commitTime: COMMIT,
      shownAt: COMMIT + 42,
      latencyMs: 42,
    });
  });

  it('names the columns an update changed, old → new, leaving out updated_at', () => {
    const shipped = { ...pen, status: 'shipped' as const, quantity: 3, updated_at: '2026-01-01T00:01:00Z' };
    const entry = activityEntry(applied('update', pen, shipped, ['status', 'quantity', 'updated_at']), COMMIT + 5);
    expect(entry).toMatchObject({ op: 'update', customer: 'Ada', summary: 'status pending → shipped, quantity 2 → 3', latencyMs: 5 });
  });

  it('describes a delete by the row it removed', () => {
    expect(activityEntry(applied('delete', pen, undefined, Object.keys(pen)), COMMIT)).toMatchObject({ op: 'delete', customer: 'Ada', summary: '2 × Pen · 45.75 · pending' });
  });

  it('says when a row leaves a filtered view', () => {
    const shipped = { ...pen, status: 'shipped' as const };
    const change = applied('leave', pen, undefined, ['status']);
    const withRow = { ...change, change: { ...change.change, row: shipped } };
    expect(activityEntry(withRow, COMMIT).summary).toBe('left the view · status pending → shipped');
  });

  it('reports a negative latency as it is (the clocks of two machines disagree)', () => {
    expect(activityEntry(applied('insert', undefined, pen, []), COMMIT - 30).latencyMs).toBe(-30);
  });
});
