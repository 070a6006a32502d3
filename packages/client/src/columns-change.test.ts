import { describe, expect, it } from 'vitest';
import { ORDERS_COLUMNS } from '@orders-live/protocol';
import { columnsChange, isColumnsChange } from './columns-change.js';

describe('columnsChange', () => {
  it('is empty for the first columns and for the same ones again', () => {
    expect(isColumnsChange(columnsChange(undefined, ORDERS_COLUMNS))).toBe(false);
    expect(isColumnsChange(columnsChange(ORDERS_COLUMNS, [...ORDERS_COLUMNS]))).toBe(false);
  });

  it('tells an added, a dropped, a renamed (in place, same kind) and a retyped column apart', () => {
    const note = { name: 'note', kind: 'text', sourceType: 'TEXT', nullable: true } as const;
    const next = ORDERS_COLUMNS.filter((column) => column.name !== 'updated_at').map((column) =>
      column.name === 'product_name' ? { ...column, name: 'product' } : column.name === 'quantity' ? { ...column, nullable: true } : column,
    );
    const change = columnsChange(ORDERS_COLUMNS, [...next, note]);
    expect(change.added).toEqual([note]);
    expect(change.removed.map((column) => column.name)).toEqual(['updated_at']);
    expect(change.renamed).toEqual([{ from: 'product_name', to: next[2] }]);
    expect(change.retyped.map(({ to }) => to.name)).toEqual(['quantity']);
    expect(isColumnsChange(change)).toBe(true);
  });

  it("reads a column of another kind at a dropped one's place as a drop and an add, not a rename", () => {
    const next = ORDERS_COLUMNS.map((column) => (column.name === 'amount' ? { ...column, name: 'price', kind: 'float' as const } : column));
    const change = columnsChange(ORDERS_COLUMNS, next);
    expect(change.renamed).toEqual([]);
    expect(change.added.map((column) => column.name)).toEqual(['price']);
    expect(change.removed.map((column) => column.name)).toEqual(['amount']);
  });
});
