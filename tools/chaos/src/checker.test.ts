import { describe, expect, it } from 'vitest';
import { columnLookup, compareCursors, rowIdFunction, type OrderRow } from '@orders-live/protocol';
import { rowDifferences } from '@orders-live/testkit';
import { checkChanges, emptyVerdict, type ObservedChange } from './checker.js';
import { checkWindowStates, expectedWindow } from './window-checker.js';

const row = (id: number, quantity: number): OrderRow => ({
  id,
  customer_name: 'c',
  product_name: 'p',
  status: 'pending',
  quantity,
  amount: '1.00',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});
const update = (offset: number, id: number, from: number, to: number): ObservedChange => ({
  op: 'update',
  id,
  row: row(id, to),
  previous: row(id, from),
  cursor: `0:${offset}`,
});
const check = (changes: ObservedChange[], filtered = false) => {
  const verdict = emptyVerdict();
  checkChanges(changes, filtered, verdict, compareCursors);
  return verdict;
};

describe('the chaos checker', () => {
  it('accepts changes applied once each, in order', () => {
    const verdict = check([
      { op: 'insert', id: 1, row: row(1, 1), previous: undefined, cursor: '0:1' },
      update(2, 1, 1, 2),
      update(3, 1, 2, 3),
      { op: 'delete', id: 1, row: undefined, previous: row(1, 3), cursor: '0:4' },
    ]);
    expect(verdict).toEqual({ lost: 0, duplicated: 0, outOfOrder: 0, problems: [] });
  });

  it('counts a skipped version as lost', () => {
    expect(check([update(1, 1, 1, 3)]).lost).toBe(1);
  });

  it('counts a repeated version or cursor as duplicated', () => {
    expect(check([update(1, 1, 2, 2)]).duplicated).toBe(1);
    expect(check([update(1, 1, 1, 2), update(1, 2, 1, 2)]).duplicated).toBe(1);
    expect(check([{ op: 'insert', id: 1, row: row(1, 1), previous: row(1, 1), cursor: '0:1' }]).duplicated).toBe(1);
  });

  it('counts a version or cursor going back as out of order', () => {
    expect(check([update(1, 1, 3, 2)]).outOfOrder).toBe(1);
    expect(check([update(5, 1, 1, 2), update(4, 2, 1, 2)]).outOfOrder).toBe(1);
  });

  it('lets a filtered client miss versions only while the row is out of its view', () => {
    const verdict = check(
      [
        { op: 'leave', id: 1, row: row(1, 2), previous: row(1, 1), cursor: '0:1' },
        { op: 'enter', id: 1, row: row(1, 5), previous: undefined, cursor: '0:2' },
        update(3, 1, 5, 6),
      ],
      true,
    );
    expect(verdict.lost + verdict.duplicated + verdict.outOfOrder).toBe(0);
    expect(check([update(1, 1, 1, 3)], true).lost).toBe(1);
  });
});

describe('checkWindowStates', () => {
  const row = (id: number, quantity: number) => ({
    id,
    customer_name: 'c',
    product_name: 'p',
    status: 'pending' as const,
    quantity,
    amount: '1.00',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  });
  it('accepts states that only move forward', () => {
    const verdict = emptyVerdict();
    checkWindowStates(
      [
        { rows: [row(1, 1), row(2, 1)], cursor: '0:1' },
        { rows: [row(2, 2), row(1, 1)], cursor: '0:2' },
      ],
      verdict,
      compareCursors,
    );
    expect(verdict).toEqual(emptyVerdict());
  });
  it('catches a repeated row, a version going down and a state older than the last', () => {
    const verdict = emptyVerdict();
    checkWindowStates(
      [
        { rows: [row(1, 2), row(1, 2)], cursor: '0:5' },
        { rows: [row(1, 1)], cursor: '0:4' },
      ],
      verdict,
      compareCursors,
    );
    expect([verdict.duplicated, verdict.outOfOrder]).toEqual([1, 2]);
  });
  it('computes the expected window with the protocol order', () => {
    expect(
      expectedWindow([row(1, 3), row(2, 5), row(3, 5)], undefined, { orderBy: { column: 'quantity', direction: 'desc' }, limit: 2 }).map(
        (r) => r.id,
      ),
    ).toEqual([3, 2]);
  });
  it('orders a window of order_lines on the composite key (9 before 10, as numbers), and sees a line twice in a state', () => {
    const lines = {
      idOf: rowIdFunction(['order_id', 'line_no']),
      lookup: columnLookup([{ name: 'quantity', kind: 'int', sourceType: 'INT4', nullable: false }]),
    };
    const line = (order_id: number, line_no: number, quantity: number) => ({ order_id, line_no, quantity });
    const query = { orderBy: { column: 'quantity', direction: 'asc' }, limit: 3 } as const;
    expect(expectedWindow([line(10, 1, 2), line(9, 2, 2), line(9, 10, 2), line(100, 1, 1)], undefined, query, lines)).toEqual([
      line(100, 1, 1),
      line(9, 2, 2),
      line(9, 10, 2),
    ]);
    const verdict = emptyVerdict();
    checkWindowStates([{ rows: [line(9, 1, 1), line(9, 1, 1)], cursor: '0:1' }], verdict, compareCursors, lines);
    expect(verdict.duplicated).toBe(1);
  });
});

describe('the final comparison of order_lines', () => {
  const line = (order_id: number, line_no: number, quantity: number) => ({
    order_id,
    line_no,
    product_name: 'Chaos line',
    quantity,
    unit_price: '1.00',
  });
  const label = (row: { order_id?: unknown; line_no?: unknown }) => `${String(row.order_id)}/${String(row.line_no)}`;
  it('tells lines apart by their composite key: a missing line or an old version is a difference', () => {
    const database = [line(9, 1, 1), line(9, 2, 3), line(10, 1, 1)];
    expect(rowDifferences([line(9, 1, 1), line(9, 2, 3), line(10, 1, 1)], database, label)).toEqual([]);
    // Without the key, rows that have no `id` would all be one row: the lost line must still show.
    expect(rowDifferences([line(9, 1, 1), line(10, 1, 1)], database, label)).toHaveLength(1);
    expect(rowDifferences([line(9, 1, 1), line(9, 2, 2), line(10, 1, 1)], database, label)).toHaveLength(1);
  });
});
