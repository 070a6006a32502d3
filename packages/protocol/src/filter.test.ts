import { describe, expect, it } from 'vitest';
import { orderRow } from '@orders-live/testkit/rows';
import { MAX_FILTER_VALUES, matchesFilter, rowFilterSchema } from './filter.js';

const row = orderRow(7, { quantity: 2, amount: '3.50' });

describe('row filters', () => {
  it('match on eq and in, ANDed across columns', () => {
    expect(matchesFilter(undefined, row)).toBe(true);
    expect(matchesFilter({}, row)).toBe(true);
    expect(matchesFilter({ status: { eq: 'pending' } }, row)).toBe(true);
    expect(matchesFilter({ status: { eq: 'shipped' } }, row)).toBe(false);
    expect(matchesFilter({ status: { in: ['shipped', 'pending'] }, quantity: { eq: 2 } }, row)).toBe(true);
    expect(matchesFilter({ status: { in: ['shipped', 'pending'] }, quantity: { eq: 3 } }, row)).toBe(false);
    expect(matchesFilter({ amount: { eq: '3.50' } }, row)).toBe(true);
    expect(matchesFilter({ amount: { eq: '3.5' } }, row)).toBe(true);
  });

  it('match text by prefix and contains, case-sensitively', () => {
    expect(matchesFilter({ customer_name: { prefix: 'Ad' } }, row)).toBe(true);
    expect(matchesFilter({ customer_name: { prefix: 'ad' } }, row)).toBe(false);
    expect(matchesFilter({ product_name: { contains: 'e' } }, row)).toBe(true);
    expect(matchesFilter({ product_name: { contains: 'x' }, customer_name: { prefix: 'A' } }, row)).toBe(false);
  });

  it('match text by prefix and contains case-insensitively when asked, and checks the option', () => {
    const name = String(row.customer_name);
    const upper = name.toUpperCase();
    expect(matchesFilter({ customer_name: { prefix: upper.slice(0, 2), caseInsensitive: true } }, row)).toBe(true);
    expect(matchesFilter({ customer_name: { prefix: upper.slice(0, 2), caseInsensitive: false } }, row)).toBe(
      name.startsWith(upper.slice(0, 2)),
    );
    expect(matchesFilter({ customer_name: { contains: name.slice(1, 3).toUpperCase(), caseInsensitive: true } }, row)).toBe(true);
    expect(matchesFilter({ customer_name: { contains: 'zzq', caseInsensitive: true } }, row)).toBe(false);
    // The row's side is lower-cased too: ADA finds Ada, ada finds ADA.
    const shouting = orderRow(8, { customer_name: 'ADA LOVELACE' });
    expect(matchesFilter({ customer_name: { contains: 'ada love', caseInsensitive: true } }, shouting)).toBe(true);
    expect(matchesFilter({ customer_name: { contains: 'ada love' } }, shouting)).toBe(false);
    expect(rowFilterSchema.safeParse({ customer_name: { contains: 'a', caseInsensitive: true } }).success).toBe(true);
    expect(rowFilterSchema.safeParse({ customer_name: { contains: 'a', caseInsensitive: 'yes' } }).success).toBe(false);
    expect(rowFilterSchema.safeParse({ customer_name: { eq: 'a', caseInsensitive: true } }).success).toBe(false);
  });

  it.each([
    [{ colour: { eq: 'red' } }],
    [{ status: { eq: 'lost' } }],
    [{ quantity: { eq: '2' } }],
    [{ amount: { eq: 3.5 } }],
    [{ status: { like: 'p%' } }],
    [{ status: { prefix: 'p' } }],
    [{ customer_name: { prefix: '' } }],
    [{ quantity: { contains: '2' } }],
    [{ status: { in: [] } }],
    [{ status: { eq: 'pending', in: ['pending'] } }],
    [{ id: { in: Array.from({ length: MAX_FILTER_VALUES + 1 }, (_, i) => i + 1) } }],
    ['status = pending'],
  ])('rejects %j', (filter) => {
    expect(rowFilterSchema.safeParse(filter).success).toBe(false);
  });
});
