import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { OrderRow } from './orders.js';
import type { LiveRow } from './live-row.js';

/** Orders' row id: its id. */
const idOf = (r: LiveRow) => r['id'] as number;
import { applyWindowOps, diffWindows } from './window-diff.js';

const row = (id: number, quantity = 1): OrderRow => ({
  id,
  customer_name: 'Ada',
  product_name: 'Pen',
  status: 'pending',
  quantity,
  amount: '1.00',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});

describe('window diffs', () => {
  it('replay to the new list, whatever the two lists', () => {
    const list = fc.uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 30 }), q: fc.integer({ min: 1, max: 3 }) }), {
      selector: (r) => r.id,
      maxLength: 15,
    });
    fc.assert(
      fc.property(list, list, (a, b) => {
        const before = a.map((r) => row(r.id, r.q));
        const after = b.map((r) => row(r.id, r.q));
        expect(applyWindowOps(before, diffWindows(before, after, idOf), idOf)).toEqual(after);
      }),
    );
  });

  it('names each kind of step', () => {
    const a = [row(1), row(2), row(3)];
    const b = [row(3), row(1, 5), row(4)];
    expect(diffWindows(a, b, idOf)).toEqual([
      { op: 'leave', key: { id: 2 } },
      { op: 'move', key: { id: 3 }, row: b[0], index: 0 },
      { op: 'change', row: b[1], changed: ['quantity'] },
      { op: 'enter', row: b[2], index: 2 },
    ]);
    expect(diffWindows(a, a, idOf)).toEqual([]);
  });

  it('name the columns a change altered as the caller says (the service: every column, added ones too)', () => {
    // `note` is a column added by a DDL: the original columns alone would see no change at all.
    const withNote = (base: OrderRow, note: string | null) => ({ ...base, note }) as OrderRow;
    const before = [withNote(row(1), null), withNote(row(2), null)];
    const noted = withNote(row(1), 'call first');
    const known = (was: LiveRow, now: LiveRow) => (was === before[0] && now === noted ? ['note'] : undefined);
    expect(diffWindows(before, [noted, before[1]!], idOf, known)).toEqual([{ op: 'change', row: noted, changed: ['note'] }]);
    // Without the service's list, both rows' columns are compared: the added one too.
    expect(diffWindows(before, [noted, before[1]!], idOf)).toEqual([{ op: 'change', row: noted, changed: ['note'] }]);
    // A row that moved because it changed says what changed; one the others pushed says nothing.
    const moved = withNote(row(2, 7), null);
    expect(diffWindows(before, [moved, before[0]!], idOf, () => ['quantity'])).toEqual([
      { op: 'move', key: { id: 2 }, row: moved, index: 0, changed: ['quantity'] },
    ]);
    expect(diffWindows(before, [before[1]!, before[0]!], idOf)).toEqual([{ op: 'move', key: { id: 2 }, row: before[1], index: 0 }]);
  });

  it('refuse steps that do not fit', () => {
    expect(applyWindowOps([row(1)], [{ op: 'leave', key: { id: 2 } }], idOf)).toBeInstanceOf(Error);
    expect(applyWindowOps([row(1)], [{ op: 'enter', row: row(1), index: 0 }], idOf)).toBeInstanceOf(Error);
  });
});
