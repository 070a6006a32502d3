import { describe, expect, it } from 'vitest';
import { ORDERS_COLUMNS, type ColumnInfo } from '@orders-live/protocol';
import { DEFAULT_QUERY, queryFromSearch } from '../query/table-query.js';
import { defaultQueryFor, ORDERS_TABLE, queryForTable, switchTable, tableFromSearch, writable } from './table-choice.js';

const column = (name: string, kind: ColumnInfo['kind']): ColumnInfo => ({ name, kind, sourceType: null, nullable: false });
const customers = {
  name: 'customers',
  key: ['id'],
  columns: [
    column('id', 'uuid'),
    column('name', 'text'),
    column('email', 'text'),
    column('tier', 'text'),
    column('created_at', 'timestamptz'),
  ],
  countBy: 'tier',
};
const orderLines = {
  name: 'order_lines',
  key: ['order_id', 'line_no'],
  columns: [column('order_id', 'bigint'), column('line_no', 'int'), column('product_name', 'text'), column('quantity', 'int')],
  countBy: null,
};
const orders = { ...ORDERS_TABLE, columns: [...ORDERS_COLUMNS] };

describe('table choice', () => {
  it('reads the table from the URL, orders when it names none or no table name', () => {
    expect(tableFromSearch('')).toBe('orders');
    expect(tableFromSearch('?table=customers&sort=name')).toBe('customers');
    expect(tableFromSearch('?table=sales.invoices')).toBe('sales.invoices');
    expect(tableFromSearch('?table=Robert%27);%20DROP')).toBe('orders');
  });

  it("starts each table from its own defaults: orders' as before, another's by its first key column, newest first", () => {
    expect(defaultQueryFor(orders)).toBe(DEFAULT_QUERY);
    expect(defaultQueryFor(customers)).toEqual({
      sort: { column: 'id', direction: 'desc' },
      statuses: [],
      search: { text: '', column: 'name', match: 'contains', anyCase: false },
      // Its count column (welcome's countBy) as chips that filter, none pressed.
      chips: { column: 'tier', kind: 'text', values: [] },
    });
    // A table that counts by nothing, or whose columns are not known yet, has no chips.
    expect(defaultQueryFor(orderLines).chips).toBeUndefined();
    expect(defaultQueryFor({ ...customers, columns: [] }).chips).toBeUndefined();
    expect(queryForTable('?table=customers&chip=pro', customers).chips?.values).toEqual(['pro']);
    expect(defaultQueryFor(orderLines).sort).toEqual({ column: 'order_id', direction: 'desc' });
    expect(defaultQueryFor(orderLines).search.column).toBe('product_name');
    // The URL's parameters left out are the table's defaults.
    expect(queryForTable('?table=order_lines&q=tea', orderLines)).toMatchObject({
      sort: { column: 'order_id', direction: 'desc' },
      search: { text: 'tea', column: 'product_name' },
    });
  });

  it('writes orders only', () => {
    expect(writable('orders')).toBe(true);
    expect(writable('customers')).toBe(false);
  });

  it("switching drops what the new table's columns cannot take, keeps the rest and the other parameters", () => {
    const query = queryFromSearch('?sort=quantity&dir=desc&status=pending&q=Ada&in=customer');
    const lines = switchTable('?sort=quantity&dir=desc&status=pending&q=Ada&in=customer&keep=1', query, orderLines);
    // order_lines has quantity (sort kept) but no status and no customer_name (chips and search dropped).
    expect(lines.query).toEqual({ ...defaultQueryFor(orderLines), sort: { column: 'quantity', direction: 'desc' } });
    expect(lines.search).toBe('?keep=1&table=order_lines&sort=quantity&dir=desc');

    const back = switchTable(lines.search, lines.query, orders);
    // orders has product_name too: the (empty) search stays on it.
    expect(back.query).toEqual({
      ...DEFAULT_QUERY,
      sort: { column: 'quantity', direction: 'desc' },
      search: { ...DEFAULT_QUERY.search, column: 'product_name' },
    });
    expect(back.search).toBe('?keep=1&sort=quantity&dir=desc');

    // orders' default sort (id desc) is customers' default too: nothing in the URL but the table.
    expect(switchTable('', DEFAULT_QUERY, customers)).toEqual({ search: '?table=customers', query: defaultQueryFor(customers) });
    // Columns not known yet (a table whose topic held no row): its defaults.
    expect(switchTable('', query, { ...customers, columns: [] }).query).toEqual(defaultQueryFor({ ...customers, columns: [] }));
  });

  it('drops the chips on a switch, whichever table has them', () => {
    const pro = queryForTable('?table=customers&chip=pro&q=Ada', customers);
    const lines = switchTable('?table=customers&chip=pro&q=Ada', pro, orderLines);
    expect(lines.search).toBe('?table=order_lines');
    expect(lines.query.chips).toBeUndefined();
    // Another table with the same count column: its chips, none pressed.
    const vips = { ...customers, name: 'vips' };
    const switched = switchTable('?table=customers&chip=pro', pro, vips);
    expect(switched.search).toBe('?table=vips&q=Ada&in=name&match=contains');
    expect(switched.query.chips).toEqual({ column: 'tier', kind: 'text', values: [] });
    // To orders: no chips, no status.
    expect(switchTable('?table=customers&chip=pro', pro, orders)).toEqual({ search: '', query: DEFAULT_QUERY });
  });
});
