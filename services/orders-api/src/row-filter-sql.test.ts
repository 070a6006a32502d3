import { describe, expect, it } from 'vitest';
import { filterConditions } from './row-filter-sql.js';

describe('filterConditions', () => {
  it('compares each column in its wire form, with bind parameters numbered after the values already there', () => {
    const values: unknown[] = ['pending'];
    const conditions = filterConditions(
      { customer_name: { eq: "Ada'; DROP TABLE orders;--" }, amount: { in: ['1.00', '2.50'] }, id: { eq: 7 } },
      values,
    );
    expect(conditions).toEqual(['id = $2::bigint', 'customer_name = $3::text', 'amount::text = ANY($4::text[])']);
    expect(values).toEqual(['pending', 7, "Ada'; DROP TABLE orders;--", ['1.00', '2.50']]);
  });

  it('compares timestamps as their ISO-8601 text, as the stream carries them', () => {
    const values: unknown[] = [];
    expect(filterConditions({ created_at: { eq: '2026-01-01T00:00:00.000000Z' } }, values)).toEqual([
      `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') = $1::text`,
    ]);
  });

  it('is no condition at all for an empty filter', () => {
    expect(filterConditions({}, [])).toEqual([]);
  });
});
