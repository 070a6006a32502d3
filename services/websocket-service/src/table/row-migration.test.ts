import { describe, expect, it } from 'vitest';
import { columnSet, type Column } from './column-set.js';
import { migrateRow, planMigration } from './row-migration.js';

const col = (name: string, kind: Column['kind'], extra: Partial<Column> = {}): Column => ({
  name,
  kind,
  sourceType: null,
  nullable: true,
  ...extra,
});
const base = [col('id', 'bigint', { nullable: false }), col('qty', 'int'), col('note', 'text')];
const row = { id: 1, qty: 2, note: 'n' };

describe('planMigration + migrateRow', () => {
  it('gives an added column its default, or null', () => {
    const next = columnSet([...base, col('priority', 'int', { nullable: false, defaultValue: 3 }), col('memo', 'text')]);
    const plan = planMigration(columnSet(base), next);
    expect(migrateRow(row, plan)).toEqual({ id: 1, qty: 2, note: 'n', priority: 3, memo: null });
    expect(plan.unknownValues).toEqual([]);
  });

  it('keeps values through widening retypes and converts integers to decimal text', () => {
    const next = columnSet([
      col('id', 'bigint', { nullable: false }),
      col('qty', 'decimal'),
      col('note', 'text', { sourceType: 'TEXT', nullable: false }),
    ]);
    expect(migrateRow(row, planMigration(columnSet(base), next))).toEqual({ id: 1, qty: '2', note: 'n' });
  });

  it('follows a rename: same place, same kind, new name', () => {
    const next = columnSet([base[0]!, base[1]!, col('memo', 'text')]);
    expect(migrateRow(row, planMigration(columnSet(base), next))).toEqual({ id: 1, qty: 2, memo: 'n' });
  });

  it('drops a dropped column, and an added one after it is not taken for a rename', () => {
    const next = columnSet([base[0]!, base[2]!, col('added', 'int')]);
    expect(migrateRow(row, planMigration(columnSet(base), next))).toEqual({ id: 1, note: 'n', added: null });
  });

  it('says which values it cannot derive exactly instead of converting them', () => {
    const next = columnSet([base[0]!, base[1]!, col('note', 'date')]);
    const plan = planMigration(columnSet(base), next);
    expect(plan.unknownValues).toEqual(['note']);
    expect(migrateRow(row, plan)).toEqual({ id: 1, qty: 2, note: null });
  });
});
