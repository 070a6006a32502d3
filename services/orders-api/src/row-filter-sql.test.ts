import { describe, expect, it } from 'vitest';
import { filterConditions, microsecondBound } from './row-filter-sql.js';

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

  it('compares ranges in the column type: amount as a number, timestamps as instants, text by code point', () => {
    const values: unknown[] = [];
    expect(
      filterConditions(
        {
          amount: { gt: '100' },
          quantity: { gte: 2, lt: 10 },
          created_at: { gte: '2026-12-07T14:00:00+02:00' },
          customer_name: { lte: 'B' },
          id: { gt: 5 },
        },
        values,
      ),
    ).toEqual([
      'id > $1::bigint',
      'customer_name COLLATE "C" <= $2::text',
      'quantity >= $3::integer',
      'quantity < $4::integer',
      'amount > $5::numeric',
      'created_at >= $6::timestamptz',
    ]);
    expect(values).toEqual([5, 'B', 2, 10, '100', '2026-12-07T14:00:00+02:00']);
  });

  it.each([
    ['gt', '2026-01-01T00:00:00.0000005Z', 'gt', '2026-01-01T00:00:00.000000Z'],
    ['lte', '2026-01-01T00:00:00.0000005Z', 'lte', '2026-01-01T00:00:00.000000Z'],
    ['gte', '2026-01-01T00:00:00.0000005Z', 'gt', '2026-01-01T00:00:00.000000Z'],
    ['lt', '2026-01-01T02:00:00.123456789+02:00', 'lte', '2026-01-01T02:00:00.123456+02:00'],
    ['gte', '2026-01-01T00:00:00.123456000Z', 'gte', '2026-01-01T00:00:00.123456000Z'],
    ['lt', '2026-01-01T00:00:00.1Z', 'lt', '2026-01-01T00:00:00.1Z'],
    ['gt', '2026-01-01T00:00:00Z', 'gt', '2026-01-01T00:00:00Z'],
  ] as const)(
    'holds a %s %s finer than Postgres as %s %s, which selects the same whole-microsecond rows',
    (bound, value, sqlBound, sqlValue) => {
      expect(microsecondBound(bound, value)).toEqual({ bound: sqlBound, value: sqlValue });
    },
  );

  it('is no condition at all for an empty filter', () => {
    expect(filterConditions({}, [])).toEqual([]);
  });
});
