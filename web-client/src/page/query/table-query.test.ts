import { describe, expect, it } from 'vitest';
import { compareRowIds, encodeKey } from '@orders-live/protocol';
import { orderRow } from '@orders-live/testkit/rows';
import {
  DEFAULT_QUERY,
  chipFilterValue,
  compareChipValues,
  filterForQuery,
  idJustAbove,
  idJustBelow,
  keyBefore,
  nextSort,
  queryFromSearch,
  sameFilter,
  searchWithQuery,
  toggleChip,
  toggleStatus,
  type TableQuery,
} from './table-query.js';

const row = orderRow(7, { quantity: 2, amount: '3.50', created_at: '2026-12-01T10:00:00Z', updated_at: '2026-12-01T10:00:00Z' });

describe('table query', () => {
  it('round-trips through the URL, defaults left out and other parameters kept', () => {
    const query = {
      sort: { column: 'amount' as const, direction: 'desc' as const },
      statuses: ['pending' as const, 'shipped' as const],
      search: { text: 'Ada L', column: 'product_name' as const, match: 'prefix' as const, anyCase: false },
    };
    const search = searchWithQuery('?keep=1', query);
    expect(search).toBe('?keep=1&sort=amount&dir=desc&status=pending%2Cshipped&q=Ada+L&in=product&match=prefix');
    expect(queryFromSearch(search)).toEqual(query);
    expect(searchWithQuery('?keep=1', DEFAULT_QUERY)).toBe('?keep=1');
  });

  it('keeps "any case" in the URL and asks the server for a case-insensitive match', () => {
    const query = queryFromSearch('?q=ada&in=customer&match=prefix&case=any');
    expect(query.search).toEqual({ text: 'ada', column: 'customer_name', match: 'prefix', anyCase: true });
    expect(searchWithQuery('', query)).toBe('?q=ada&in=customer&match=prefix&case=any');
    expect(filterForQuery(query)).toEqual({ customer_name: { prefix: 'ada', caseInsensitive: true } });
    // Unticked: the filter is as it always was (no caseInsensitive: false), and the URL says nothing.
    const sensitive = { ...query, search: { ...query.search, anyCase: false } };
    expect(filterForQuery(sensitive)).toEqual({ customer_name: { prefix: 'ada' } });
    expect(searchWithQuery('', sensitive)).toBe('?q=ada&in=customer&match=prefix');
    expect(sameFilter(query, sensitive)).toBe(false);
  });

  it('keeps "any case" in the URL when the search box is cleared, as the box stays ticked', () => {
    const cleared = { ...DEFAULT_QUERY, search: { ...DEFAULT_QUERY.search, anyCase: true } };
    expect(searchWithQuery('', cleared)).toBe('?case=any');
    expect(queryFromSearch('?case=any').search.anyCase).toBe(true);
  });

  it('drops what it does not know instead of failing', () => {
    expect(queryFromSearch(`?sort=${'n'.repeat(64)}&status=lost,shipped&in=&match=y`)).toEqual({ ...DEFAULT_QUERY, statuses: ['shipped'] });
    expect(queryFromSearch(`?q=${'x'.repeat(300)}`).search.text).toHaveLength(200);
  });

  it('takes any column name for the sort and the search (a column a DDL added); whether it exists is for the columns to say', () => {
    const query = queryFromSearch('?sort=note&dir=desc&q=hi&in=note');
    expect(query.sort).toEqual({ column: 'note', direction: 'desc' });
    expect(query.search).toEqual({ text: 'hi', column: 'note', match: 'contains', anyCase: false });
    expect(searchWithQuery('', query)).toBe('?sort=note&dir=desc&q=hi&in=note&match=contains');
    expect(filterForQuery(query)).toEqual({ note: { contains: 'hi' } });
  });

  it('becomes the window filter: chips as eq/in, the search on its column', () => {
    expect(filterForQuery(DEFAULT_QUERY)).toBeUndefined();
    const query = {
      ...DEFAULT_QUERY,
      statuses: ['shipped' as const],
      search: { text: 'Ad', column: 'customer_name' as const, match: 'contains' as const, anyCase: false },
    };
    expect(filterForQuery(query)).toEqual({ status: { eq: 'shipped' }, customer_name: { contains: 'Ad' } });
    expect(filterForQuery(query, { statuses: false })).toEqual({ customer_name: { contains: 'Ad' } });
    expect(filterForQuery({ ...DEFAULT_QUERY, statuses: ['pending', 'delivered'] })).toEqual({ status: { in: ['pending', 'delivered'] } });
    // All three chips is no filter at all.
    expect(filterForQuery({ ...DEFAULT_QUERY, statuses: ['pending', 'shipped', 'delivered'] })).toBeUndefined();
  });

  it('sorts: another column ascending, the same one flipped; chips toggle', () => {
    const byAmount = nextSort(DEFAULT_QUERY, 'amount');
    expect(byAmount.sort).toEqual({ column: 'amount', direction: 'asc' });
    expect(nextSort(byAmount, 'amount').sort).toEqual({ column: 'amount', direction: 'desc' });
    expect(sameFilter(DEFAULT_QUERY, byAmount)).toBe(true);
    const chip = toggleStatus(DEFAULT_QUERY, 'delivered');
    expect(chip.statuses).toEqual(['delivered']);
    expect(toggleStatus(chip, 'delivered').statuses).toEqual([]);
    expect(sameFilter(DEFAULT_QUERY, chip)).toBe(false);
  });

  it('gives the key just before a row, so a keyset window starts at it', () => {
    expect(keyBefore(row, { column: 'amount', direction: 'asc' }, 7, 'id')).toEqual({ value: '3.50', id: 6 });
    expect(keyBefore(row, { column: 'amount', direction: 'desc' }, 7, 'id')).toEqual({ value: '3.50', id: 8 });
    expect(keyBefore(row, { column: 'id', direction: 'desc' }, 7, 'id')).toEqual({ value: 8, id: 8 });
  });

  it('gives a key just before a row of a string id: a uuid, a composite key', () => {
    const uuid = '3f2a0000-0000-4000-8000-00000000000b';
    const customer = { id: uuid, name: 'Ada', tier: 'pro' };
    const asc = keyBefore(customer, { column: 'id', direction: 'asc' }, uuid, 'id');
    const desc = keyBefore(customer, { column: 'name', direction: 'desc' }, uuid, 'id');
    // Below the id and above the id one less in its last character (so no uuid falls between).
    expect(compareRowIds(asc.id, uuid)).toBeLessThan(0);
    expect(compareRowIds(asc.id, uuid.slice(0, -1) + 'a')).toBeGreaterThan(0);
    expect(asc.value).toBe(asc.id);
    expect(desc).toEqual({ value: 'Ada', id: `${uuid}\u0000` });
    // A composite key sorts by a column: the value stays the row's, the id moves.
    const line = { order_id: 12, line_no: 3, product_name: 'Tea' };
    const id = encodeKey([12, 3]);
    const before = keyBefore(line, { column: 'order_id', direction: 'asc' }, id);
    expect(before.value).toBe(12);
    expect(compareRowIds(before.id, id)).toBeLessThan(0);
    expect(compareRowIds(before.id, encodeKey([12, 2]))).toBeGreaterThan(0);
    expect(idJustAbove(id)).toBe(`${id}\u0000`);
    expect(idJustBelow(5)).toBe(4);
  });

  describe("another table's chips (its count column)", () => {
    // Customers' defaults (table-choice.ts): chips of tier, none pressed.
    const customers: TableQuery = {
      sort: { column: 'id', direction: 'desc' },
      statuses: [],
      search: { text: '', column: 'name', match: 'contains', anyCase: false },
      chips: { column: 'tier', kind: 'text', values: [] },
    };

    it('live in the URL as one chip parameter per value, any string, kept in order', () => {
      const query = queryFromSearch('?table=customers&chip=pro&chip=a%2Cb&chip=pro', customers);
      expect(query.chips).toEqual({ column: 'tier', kind: 'text', values: ['a,b', 'pro'] });
      expect(query.statuses).toEqual([]);
      const search = searchWithQuery('?table=customers', query, customers);
      expect(search).toBe('?table=customers&chip=a%2Cb&chip=pro');
      expect(queryFromSearch(search, customers)).toEqual(query);
      // None pressed: nothing in the URL.
      expect(searchWithQuery('?table=customers', customers, customers)).toBe('?table=customers');
      // Orders has no such chips: a chip parameter means nothing there.
      expect(queryFromSearch('?chip=pro')).toEqual(DEFAULT_QUERY);
    });

    it('filter their column with eq/in, left out of the counts as the status chips are', () => {
      const pro = toggleChip(customers, 'pro');
      expect(pro.chips?.values).toEqual(['pro']);
      expect(filterForQuery(pro)).toEqual({ tier: { eq: 'pro' } });
      expect(filterForQuery(pro, { statuses: false })).toBeUndefined();
      const two = toggleChip(pro, 'enterprise');
      expect(two.chips?.values).toEqual(['enterprise', 'pro']);
      expect(filterForQuery({ ...two, search: { ...two.search, text: 'Ada' } })).toEqual({
        tier: { in: ['enterprise', 'pro'] },
        name: { contains: 'Ada' },
      });
      expect(sameFilter(customers, pro)).toBe(false);
      // A search in the chips' own column stands in for them (one condition per column).
      expect(filterForQuery({ ...pro, search: { ...pro.search, column: 'tier', text: 'pr' } })).toEqual({ tier: { contains: 'pr' } });
      expect(toggleChip(pro, 'pro')).toEqual(customers);
      expect(filterForQuery(customers)).toBeUndefined();
      // A query without such chips (orders) is left as it is.
      expect(toggleChip(DEFAULT_QUERY, 'pro')).toBe(DEFAULT_QUERY);
    });

    it('filter a boolean or a number column by the value itself, as the counts name it', () => {
      const flags: TableQuery = { ...customers, chips: { column: 'active', kind: 'boolean', values: [] } };
      const active = queryFromSearch('?chip=true&chip=yes', flags);
      expect(active.chips?.values).toEqual(['true']);
      expect(filterForQuery(active)).toEqual({ active: { eq: true } });
      const sizes: TableQuery = { ...customers, chips: { column: 'seats', kind: 'int', values: [] } };
      const some = queryFromSearch('?chip=10&chip=9&chip=abc&chip=null', sizes);
      expect(some.chips?.values).toEqual(['9', '10', 'null']);
      expect(filterForQuery(some)).toEqual({ seats: { in: [9, 10, null] } });
      expect(chipFilterValue('2.5', 'float')).toBe(2.5);
      expect(chipFilterValue('true', 'int')).toBeUndefined();
      // A text column takes the text as it is, numbers-looking or not.
      expect(chipFilterValue('10', 'text')).toBe('10');
      // Its "null" chip counts the nulls and the text "null" together: it shows both.
      expect(filterForQuery(toggleChip(customers, 'null'))).toEqual({ tier: { in: ['null', null] } });
    });

    it('show in order: numbers by value, other values by their code units', () => {
      expect(['10', 'pro', '9', 'enterprise', 'free'].sort(compareChipValues)).toEqual(['9', '10', 'enterprise', 'free', 'pro']);
      expect(['true', 'false'].sort(compareChipValues)).toEqual(['false', 'true']);
    });
  });
});
