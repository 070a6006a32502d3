import { describe, expect, it } from 'vitest';
import { orderRow } from '@orders-live/testkit/rows';
import { ORDERS_COLUMNS, columnLookup, type ColumnInfo } from './columns.js';
import { ERROR_CODES } from './error-codes.js';
import { filterProblem, matchesFilter, rowFilterSchema, subscriptionFilterSchema, type SubscriptionFilter } from './filter.js';
import type { OrderRow } from './orders.js';

/** orders as created, plus a column of each other sortable kind a DDL could add (all nullable). */
const EXTRA: ColumnInfo[] = [
  { name: 'due', kind: 'date', sourceType: 'DATE', nullable: true },
  { name: 'weight', kind: 'float', sourceType: 'FLOAT8', nullable: true },
  { name: 'gift', kind: 'boolean', sourceType: 'BOOL', nullable: true },
  { name: 'note', kind: 'text', sourceType: 'TEXT', nullable: true },
  { name: 'shipped_at', kind: 'timestamptz', sourceType: 'TIMESTAMPTZ', nullable: true },
  { name: 'tags', kind: 'array', elementKind: 'text', sourceType: '_TEXT', nullable: true },
];
const L = columnLookup([...ORDERS_COLUMNS, ...EXTRA]);

/** A row with the extra columns set (or null), as the stream carries a table a DDL widened. */
const wide = (patch: Record<string, unknown>) => ({ ...orderRow(1), ...patch });

/** The filter, checked as the server checks a subscription's, then whether it matches. */
function matches(filter: SubscriptionFilter, row: OrderRow): boolean {
  expect(subscriptionFilterSchema.safeParse(filter).success).toBe(true);
  expect(filterProblem(filter, L)).toBeUndefined();
  return matchesFilter(filter, row, L);
}

describe('range conditions', () => {
  it.each([
    // [column, row value, bound, gt, gte, lt, lte]
    ['quantity (int)', 'quantity', 5, 5, false, true, false, true],
    ['quantity (int)', 'quantity', 5, 4, true, true, false, false],
    ['id (bigint)', 'id', 2 ** 40, 2 ** 40 - 1, true, true, false, false],
    ['weight (float)', 'weight', 0.5, 0.25, true, true, false, false],
    ['amount (decimal), numerically', 'amount', '100.5', '100', true, true, false, false],
    ['amount (decimal), numerically not as text', 'amount', '9.75', '10.5', false, false, true, true],
    ['amount (decimal), equal spellings', 'amount', '100.00', '100', false, true, false, true],
    ['amount (decimal), negative', 'amount', '-2.00', '-10', true, true, false, false],
    [
      'created_at (timestamptz), one instant spelt twice',
      'created_at',
      '2026-12-07T12:00:00Z',
      '2026-12-07T14:00:00+02:00',
      false,
      true,
      false,
      true,
    ],
    [
      'created_at (timestamptz), by the instant not the text',
      'created_at',
      '2026-12-07T12:00:00Z',
      '2026-12-07T13:00:00+02:00',
      true,
      true,
      false,
      false,
    ],
    [
      'created_at (timestamptz), microseconds',
      'created_at',
      '2026-12-07T12:00:00.000001Z',
      '2026-12-07T12:00:00Z',
      true,
      true,
      false,
      false,
    ],
    ['customer_name (text), UTF-16 code units', 'customer_name', 'Ada', 'Adam', false, false, true, true],
    ['customer_name (text), upper case first', 'customer_name', 'bob', 'Bob', true, true, false, false],
    ['due (date)', 'due', '2026-12-07', '2026-12-01', true, true, false, false],
    ['gift (boolean)', 'gift', true, false, true, true, false, false],
  ] as const)('%s: %j against %j', (_name, column, value, bound, gt, gte, lt, lte) => {
    const row = wide({ [column]: value });
    expect(matches({ [column]: { gt: bound } }, row)).toBe(gt);
    expect(matches({ [column]: { gte: bound } }, row)).toBe(gte);
    expect(matches({ [column]: { lt: bound } }, row)).toBe(lt);
    expect(matches({ [column]: { lte: bound } }, row)).toBe(lte);
  });

  it('take both bounds at once, each side open or closed', () => {
    const twoToTen: SubscriptionFilter = { quantity: { gte: 2, lt: 10 } };
    const shown = [1, 2, 5, 9, 10, 11].filter((quantity) => matches(twoToTen, orderRow(1, { quantity })));
    expect(shown).toEqual([2, 5, 9]);
    const openClosed: SubscriptionFilter = { amount: { gt: '2', lte: '9.5' } };
    expect(['2.00', '2.01', '9.50', '9.51'].filter((amount) => matches(openClosed, orderRow(1, { amount })))).toEqual(['2.01', '9.50']);
  });

  it('AND with the other columns conditions', () => {
    const row = orderRow(1, { quantity: 3, status: 'shipped' });
    expect(matches({ quantity: { gt: 2 }, status: { eq: 'shipped' } }, row)).toBe(true);
    expect(matches({ quantity: { gt: 2 }, status: { eq: 'pending' } }, row)).toBe(false);
  });

  it('never match null, though null sorts after every value', () => {
    for (const filter of [
      { weight: { gt: 0 } },
      { weight: { lt: 0 } },
      { weight: { gte: -1e300, lte: 1e300 } },
      { due: { gt: '0000-01-01' } },
    ])
      expect(matches(filter, wide({ weight: null, due: null }))).toBe(false);
    // A column the row lacks (added after the row was read) is null too.
    expect(matches({ note: { gte: '' } }, orderRow(1))).toBe(false);
  });

  it('accept a range no value satisfies, and match no row with it', () => {
    for (const filter of [{ quantity: { gt: 5, lt: 3 } }, { quantity: { gt: 5, lt: 5 } }, { quantity: { gte: 5, lt: 5 } }])
      for (const quantity of [3, 4, 5, 6]) expect(matches(filter, orderRow(1, { quantity }))).toBe(false);
    expect(matches({ quantity: { gte: 5, lte: 5 } }, orderRow(1, { quantity: 5 }))).toBe(true);
  });

  it.each([
    [{ amount: { gt: 100 } }, 'filter.amount.gt: 100 is not a valid decimal (a decimal is a string: "100.50")'],
    [{ amount: { lte: '1e3' } }, 'filter.amount.lte: "1e3" is not a valid decimal (a decimal is a string: "100.50")'],
    [{ quantity: { gte: '2' } }, 'filter.quantity.gte: "2" is not a valid int'],
    [{ quantity: { gte: 2, lt: 2.5 } }, 'filter.quantity.lt: 2.5 is not a valid int'],
    [{ id: { gt: true } }, 'filter.id.gt: true is not a valid bigint'],
    [{ created_at: { gte: 'yesterday' } }, 'filter.created_at.gte: "yesterday" is not a valid timestamptz'],
    [
      { created_at: { gte: '2026-12-07T12:00:00.1234567891Z' } },
      'filter.created_at.gte: "2026-12-07T12:00:00.1234567891Z" is not a valid timestamptz',
    ],
    [{ customer_name: { lt: 7 } }, 'filter.customer_name.lt: 7 is not a valid text'],
    [{ tags: { gt: 'a' } }, 'filter.tags: array columns cannot be filtered'],
  ])('refuse %j with E_BAD_FILTER', (filter, message) => {
    expect(subscriptionFilterSchema.safeParse(filter).success).toBe(true);
    const problem = filterProblem(filter, L);
    expect(problem?.code).toBe(ERROR_CODES.BAD_FILTER);
    expect(problem?.message.startsWith(message)).toBe(true);
  });

  it('refuse a range on a column the table lacks with E_UNKNOWN_COLUMN', () => {
    expect(filterProblem({ colour: { gt: 'red' } }, L)?.code).toBe(ERROR_CODES.UNKNOWN_COLUMN);
  });

  it.each([
    [{ quantity: {} }],
    [{ quantity: { gt: null } }],
    [{ quantity: { gt: 1, gte: 1 } }],
    [{ quantity: { lt: 1, lte: 1 } }],
    [{ quantity: { gt: 1, eq: 2 } }],
    [{ quantity: { gte: 1, in: [2] } }],
    [{ customer_name: { gt: 'A', prefix: 'Ad' } }],
    [{ customer_name: { lt: 'B', contains: 'd' } }],
    [{ customer_name: { lt: 'B', caseInsensitive: true } }],
    [{ quantity: { between: [1, 2] } }],
    [{ quantity: { gt: [1] } }],
  ])('leave %j out of both schemas', (filter) => {
    expect(subscriptionFilterSchema.safeParse(filter).success).toBe(false);
    expect(rowFilterSchema.safeParse(filter).success).toBe(false);
  });

  it('in a pinned filter (rowFilterSchema), take bounds of the column type only', () => {
    const ok = [
      { amount: { gt: '100' } },
      { created_at: { gte: '2026-12-07T12:00:00Z' } },
      { quantity: { gte: 2, lt: 10 } },
      { id: { lte: 500 } },
      { customer_name: { gte: 'A', lt: 'B' } },
      { status: { gt: 'delivered' } },
    ];
    for (const filter of ok) expect(rowFilterSchema.safeParse(filter).success).toBe(true);
    const bad = [
      { amount: { gt: 100 } },
      { quantity: { gt: '2' } },
      { created_at: { gte: 'yesterday' } },
      { created_at: { gte: '2026-12-07T12:00:00.1234567891Z' } },
      { updated_at: { lt: 1 } },
      { id: { gt: 'x' } },
    ];
    for (const filter of bad) expect(rowFilterSchema.safeParse(filter).success).toBe(false);
    const pinned = rowFilterSchema.parse({ amount: { gt: '100' } });
    expect(matchesFilter(pinned, orderRow(1, { amount: '100.5' }))).toBe(true);
    expect(matchesFilter(pinned, orderRow(1, { amount: '99.99' }))).toBe(false);
  });
});
