import { describe, expect, it } from 'vitest';
import { ORDERS_COLUMNS, type ColumnInfo } from './columns.js';
import { isOrderRow, rowProblem, valueProblem, type LiveRow } from './live-row.js';

const AT = '2026-12-01T22:14:07.123456Z';
const ROW: LiveRow = {
  id: 7,
  customer_name: 'Ada',
  product_name: 'Lamp',
  status: 'pending',
  quantity: 2,
  amount: '1.5',
  created_at: AT,
  updated_at: AT,
};

describe('row values against their columns', () => {
  it('accepts each kind in its wire form, and null for any', () => {
    const ok: [ColumnInfo['kind'], unknown][] = [
      ['int', 5],
      ['bigint', 9_007_199_254_740_991],
      ['float', 1.5],
      ['float', 'NaN'],
      ['decimal', '-12.50'],
      ['decimal', '1e3'],
      ['boolean', false],
      ['text', ''],
      ['uuid', '0b9f6a4e-5d0c-4c3e-9d55-2c4a7b3f1e01'],
      ['json', '{"a":[1,2]}'],
      ['bytes', 'aGVsbG8='],
      ['date', '2026-12-01'],
      ['time', '10:15:30.000001'],
      ['timetz', '10:15:30Z'],
      ['timestamp', '2026-12-01T10:15:30.000001'],
      ['timestamptz', '2026-12-01T10:15:30.5+01:00'],
      ['interval', 'P1DT2H'],
    ];
    for (const [kind, value] of ok) expect(valueProblem({ kind }, value as never), `${kind} ${String(value)}`).toBeUndefined();
    expect(valueProblem({ kind: 'int' }, null)).toBeUndefined();
    expect(valueProblem({ kind: 'array', elementKind: 'int' }, [1, null, 3])).toBeUndefined();
  });

  it('names what a value should have been', () => {
    expect(valueProblem({ kind: 'int' }, '5')).toBe('expected an exact integer (int), got "5"');
    expect(valueProblem({ kind: 'int' }, 1.5)).toMatch(/exact integer/);
    expect(valueProblem({ kind: 'decimal' }, 12.5)).toBe('expected decimal text (decimal), got 12.5');
    expect(valueProblem({ kind: 'boolean' }, 'true')).toMatch(/a boolean/);
    expect(valueProblem({ kind: 'uuid' }, 'not-a-uuid')).toMatch(/a uuid/);
    expect(valueProblem({ kind: 'json' }, '{oops')).toMatch(/JSON text/);
    expect(valueProblem({ kind: 'bytes' }, '***')).toMatch(/base64/);
    expect(valueProblem({ kind: 'date' }, '01.12.2026')).toMatch(/date/);
    expect(valueProblem({ kind: 'timestamptz' }, '2026-12-01 10:15:30')).toMatch(/instant/);
    expect(valueProblem({ kind: 'array', elementKind: 'int' }, [1, 'x'])).toMatch(/^element 1: expected an exact integer/);
    expect(valueProblem({ kind: 'array', elementKind: 'int' }, 1)).toMatch(/expected an array/);
  });

  it('checks a row has exactly the columns, each of its kind', () => {
    expect(rowProblem(ROW, ORDERS_COLUMNS)).toBeUndefined();
    const withNote: ColumnInfo[] = [...ORDERS_COLUMNS, { name: 'note', kind: 'int', sourceType: 'INT4', nullable: true }];
    expect(rowProblem(ROW, withNote)).toEqual({ kind: 'columns', message: 'row 7 lacks column note' });
    expect(rowProblem({ ...ROW, note: null }, withNote)).toBeUndefined();
    expect(rowProblem({ ...ROW, note: 'x' }, withNote)).toEqual({
      kind: 'value',
      message: 'row 7, column note: expected an exact integer (int), got "x"',
    });
    expect(rowProblem({ ...ROW, extra: 1 }, ORDERS_COLUMNS)).toMatchObject({ kind: 'columns', message: expect.stringMatching(/extra/) });
  });

  it('narrows to an orders row only while every original column is there with its type', () => {
    expect(isOrderRow(ROW)).toBe(true);
    expect(isOrderRow({ ...ROW, note: 'extra columns are fine' })).toBe(true);
    const { product_name: _dropped, ...withoutProduct } = ROW;
    expect(isOrderRow(withoutProduct)).toBe(false);
    expect(isOrderRow({ ...ROW, quantity: '2' })).toBe(false);
  });
});
