import { describe, expect, it } from 'vitest';
import { includeList, parseTablesList, withTable, withoutTable } from './list.js';

const LIST = '# streamed tables\npublic.orders\n  public.customers   # uuid key\n\npublic.order_lines\n';

describe('tables.list', () => {
  it('names one table a line, comments and blanks aside', () => {
    expect(parseTablesList(LIST)).toEqual(['public.orders', 'public.customers', 'public.order_lines']);
    expect(parseTablesList('')).toEqual([]);
  });

  it('gains a table as a last line, once', () => {
    expect(withTable(LIST, 'shop.stock')).toBe(`${LIST}shop.stock\n`);
    expect(withTable(LIST, 'public.customers')).toBe(LIST);
    expect(withTable('public.orders', 'public.x')).toBe('public.orders\npublic.x\n');
  });

  it("loses a table's lines and keeps the rest as written", () => {
    expect(withoutTable(LIST, 'public.customers')).toBe('# streamed tables\npublic.orders\n\npublic.order_lines\n');
    expect(withoutTable(LIST, 'public.nothing')).toBe(LIST);
    expect(parseTablesList(withoutTable(withTable(LIST, 'shop.stock'), 'shop.stock'))).toEqual(parseTablesList(LIST));
  });

  it("makes the connector's include list as connectors/register.sh does: the file's value, then the tables", () => {
    expect(includeList('public.orders_heartbeat', parseTablesList(LIST))).toBe(
      'public.orders_heartbeat,public.orders,public.customers,public.order_lines',
    );
  });
});
