import { describe, expect, it } from 'vitest';
import { columnInfo, comparatorFor, compareDecimalStrings, compareInstants } from './columns.js';

describe('column comparators', () => {
  it('order decimal strings numerically, at any length', () => {
    expect(compareDecimalStrings('10.5', '9.75')).toBeGreaterThan(0);
    expect(compareDecimalStrings('1.50', '1.5')).toBe(0);
    expect(compareDecimalStrings('-2', '-10')).toBeGreaterThan(0);
    expect(compareDecimalStrings('-0.00', '0')).toBe(0);
    expect(compareDecimalStrings('-1', '0.01')).toBeLessThan(0);
    expect(compareDecimalStrings('123456789012345678901234567890.01', '123456789012345678901234567890.1')).toBeLessThan(0);
    expect(compareDecimalStrings('007', '7')).toBe(0);
  });

  it('order timestamps as instants, microseconds and offsets kept', () => {
    expect(compareInstants('2026-01-01T00:00:00.000001Z', '2026-01-01T00:00:00Z')).toBeGreaterThan(0);
    expect(compareInstants('2026-01-01T01:00:00+01:00', '2026-01-01T00:00:00Z')).toBe(0);
    expect(compareInstants('2025-12-31T23:59:59.999999Z', '2026-01-01T00:00:00Z')).toBeLessThan(0);
  });

  it('order text by code unit, and put nulls last', () => {
    const text = comparatorFor(columnInfo('customer_name')!);
    expect(text('B', 'a')).toBeLessThan(0);
    expect(text('a', null)).toBeLessThan(0);
    expect(text(null, null)).toBe(0);
    const integer = comparatorFor(columnInfo('quantity')!);
    expect(integer(10, 9)).toBeGreaterThan(0);
  });
});
