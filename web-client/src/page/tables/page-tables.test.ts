import { describe, expect, it } from 'vitest';
import { tableTitle } from './page-tables.js';

describe('tableTitle', () => {
  it('names a table as a heading says it: its own name, words apart, the first capitalised, without its schema', () => {
    expect(tableTitle('orders')).toBe('Orders');
    expect(tableTitle('order_lines')).toBe('Order lines');
    expect(tableTitle('sales.invoice_items')).toBe('Invoice items');
  });
});
