import { describe, expect, it } from 'vitest';
import type { OrderRow, RowFilter } from '@orders-live/protocol';
import { opForSubscriber } from './subscription.js';
import type { TableChange } from './view.js';

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
  row: newRow,
  oldRow,
  changed: [],
  commitTime: 0,
  position: { partition: 0, offset: 0n },
  cursor: '0:0',
});
const pending: RowFilter = { status: { eq: 'pending' } };

describe('opForSubscriber', () => {
  it('passes every change to an unfiltered subscription', () => {
    expect(opForSubscriber(change('update', row('pending'), row('shipped')), undefined)).toBe('update');
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
    expect(opForSubscriber(input, pending)).toBe(expected);
  });
});
