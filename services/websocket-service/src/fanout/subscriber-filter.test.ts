import { describe, expect, it } from 'vitest';
import { ORDERS_COLUMNS, columnLookup } from '@orders-live/protocol';
import type { OrderRow, RowFilter } from '@orders-live/protocol';
import { rowChange, matchesSubscriberFilter, opForSubscriber, subscriberFilter } from './subscriber-filter.js';
import type { TableChange } from '../table/table-view.js';

/** The table's columns as database/sql creates them. */
const L = columnLookup(ORDERS_COLUMNS);

const row = (status: OrderRow['status']): OrderRow => ({
  id: 1,
  customer_name: 'Ada',
  product_name: 'Pen',
  status,
  quantity: 1,
  amount: '1.00',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});
const change = (op: TableChange['op'], oldRow: OrderRow | null, newRow: OrderRow | null): TableChange => ({
  op,
  key: { id: 1 },
  id: 1,
  row: newRow,
  oldRow,
  changed: [],
  commitTime: 0,
  kafkaTime: 0,
  txId: null,
  lsn: 4_096,
  position: { partition: 0, offset: 0n },
  cursor: '0:0',
});
const pending: RowFilter = { status: { eq: 'pending' } };

describe('opForSubscriber', () => {
  it('passes every change to an unfiltered subscription', () => {
    expect(opForSubscriber(change('update', row('pending'), row('shipped')), subscriberFilter(undefined, undefined, L))).toBe('update');
  });

  it.each([
    ['insert of a matching row', change('insert', null, row('pending')), 'insert'],
    ['insert of another row', change('insert', null, row('shipped')), undefined],
    ['update within the view', change('update', row('pending'), row('pending')), 'update'],
    ['update into the view', change('update', row('shipped'), row('pending')), 'enter'],
    ['update out of the view', change('update', row('pending'), row('shipped')), 'leave'],
    ['update outside the view', change('update', row('shipped'), row('delivered')), undefined],
    ['delete of a matching row', change('delete', row('pending'), null), 'delete'],
    ['delete of another row', change('delete', row('shipped'), null), undefined],
  ])('%s → %s', (_name, input, expected) => {
    expect(opForSubscriber(input, subscriberFilter(undefined, pending, L))).toBe(expected);
  });
});

describe('a range filter on a table subscription', () => {
  const priced = (amount: string): OrderRow => ({ ...row('pending'), amount });
  const view = subscriberFilter(undefined, { amount: { gt: '100' } }, L);

  it.each([
    ['insert above the bound', change('insert', null, priced('100.5')), 'insert'],
    ['insert on the bound', change('insert', null, priced('100.00')), undefined],
    ['update across the bound upwards', change('update', priced('99.99'), priced('100.01')), 'enter'],
    ['update across the bound downwards', change('update', priced('250'), priced('100')), 'leave'],
    ['update above the bound', change('update', priced('101'), priced('1000')), 'update'],
    ['update below the bound', change('update', priced('1'), priced('99')), undefined],
    ['delete above the bound', change('delete', priced('101'), null), 'delete'],
  ])('%s → %s', (_name, input, expected) => {
    expect(opForSubscriber(input, view)).toBe(expected);
  });
});

describe('a view pinned by the access token (pinned AND requested)', () => {
  const customer = (name: string, status: OrderRow['status'] = 'pending'): OrderRow => ({ ...row(status), customer_name: name });
  const ada: RowFilter = { customer_name: { eq: 'Ada' } };

  it('is the conjunction of the filters present; none (or only empty ones) is every row', () => {
    expect(subscriberFilter(undefined, undefined, L).parts).toEqual([]);
    expect(subscriberFilter({}, {}, L).parts).toEqual([]);
    expect(subscriberFilter(ada, undefined, L).parts).toEqual([ada]);
    expect(subscriberFilter(undefined, pending, L).parts).toEqual([pending]);
    expect(subscriberFilter(ada, pending, L).parts).toEqual([ada, pending]);
  });

  it('lets the client narrow the pinned view, never widen it', () => {
    // Asking for nothing, or for all statuses, still shows only the pinned customer.
    expect(matchesSubscriberFilter(subscriberFilter(ada, undefined, L), customer('Bob'))).toBe(false);
    expect(
      matchesSubscriberFilter(subscriberFilter(ada, { status: { in: ['pending', 'shipped', 'delivered'] } }, L), customer('Bob')),
    ).toBe(false);
    // Naming another customer is an empty view, not Bob's orders: a column in both must satisfy both.
    expect(matchesSubscriberFilter(subscriberFilter(ada, { customer_name: { eq: 'Bob' } }, L), customer('Bob'))).toBe(false);
    expect(matchesSubscriberFilter(subscriberFilter(ada, { customer_name: { eq: 'Bob' } }, L), customer('Ada'))).toBe(false);
    expect(matchesSubscriberFilter(subscriberFilter(ada, { customer_name: { in: ['Ada', 'Bob'] } }, L), customer('Bob'))).toBe(false);
    expect(matchesSubscriberFilter(subscriberFilter(ada, { customer_name: { in: ['Ada', 'Bob'] } }, L), customer('Ada'))).toBe(true);
    // Narrowing works.
    expect(matchesSubscriberFilter(subscriberFilter(ada, pending, L), customer('Ada', 'pending'))).toBe(true);
    expect(matchesSubscriberFilter(subscriberFilter(ada, pending, L), customer('Ada', 'shipped'))).toBe(false);
  });

  it.each([
    ['insert of the pinned customer', change('insert', null, customer('Ada')), 'insert'],
    ['insert of another customer', change('insert', null, customer('Bob')), undefined],
    ['the row given to another customer', change('update', customer('Ada'), customer('Bob')), 'leave'],
    ['a row given to the pinned customer', change('update', customer('Bob'), customer('Ada')), 'enter'],
    ["another customer's row changing", change('update', customer('Bob', 'pending'), customer('Bob', 'shipped')), undefined],
    [
      "the pinned customer's row leaving the requested status",
      change('update', customer('Ada', 'pending'), customer('Ada', 'shipped')),
      'leave',
    ],
    [
      "another customer's row entering the requested status",
      change('update', customer('Bob', 'shipped'), customer('Bob', 'pending')),
      undefined,
    ],
    ["delete of the pinned customer's row", change('delete', customer('Ada'), null), 'delete'],
    ["delete of another customer's row", change('delete', customer('Bob'), null), undefined],
  ])('pinned Ada, asked pending: %s → %s', (_name, input, expected) => {
    expect(opForSubscriber(input, subscriberFilter(ada, pending, L))).toBe(expected);
  });
});

describe('rowChange for a token-pinned subscriber', () => {
  const ada: RowFilter = { customer_name: { eq: 'Ada' } };
  const customer = (name: string): OrderRow => ({ ...row('pending'), customer_name: name });

  it('withholds the new row of a leave out of the pinned filter and the old row of an enter into it', () => {
    const givenAway = rowChange(change('update', customer('Ada'), customer('Bob')), 'leave', ada);
    expect([givenAway.oldRow?.customer_name, givenAway.row]).toEqual(['Ada', null]);
    const givenToAda = rowChange(change('update', customer('Bob'), customer('Ada')), 'enter', ada);
    expect([givenToAda.oldRow, givenToAda.row?.customer_name]).toEqual([null, 'Ada']);
  });

  it("shows both rows when the pinned filter covers them (a leave of the client's own narrower filter)", () => {
    const frame = rowChange(change('update', customer('Ada'), { ...customer('Ada'), status: 'shipped' }), 'leave', ada);
    expect([frame.oldRow?.status, frame.row?.status]).toEqual(['pending', 'shipped']);
  });

  it('withholds nothing without a pinned filter', () => {
    const frame = rowChange(change('update', customer('Ada'), customer('Bob')), 'leave');
    expect(frame.row?.customer_name).toBe('Bob');
  });
});

describe('rowChange', () => {
  it("carries the change's LSN, and none when the change has none (a tombstone's delete)", () => {
    const update = change('update', row('pending'), row('shipped'));
    expect(rowChange(update, 'update')).toEqual({
      op: 'update',
      key: { id: 1 },
      row: row('shipped'),
      oldRow: row('pending'),
      changed: [],
      cursor: '0:0',
      lsn: 4_096,
    });
    expect(rowChange({ ...change('delete', row('pending'), null), lsn: null }, 'delete')).not.toHaveProperty('lsn');
  });
});
