import { describe, expect, it } from 'vitest';
import { encodeKey, rowIdOf } from '@orders-live/protocol';
import { decodeKey, RowIdentity } from './row-identity.js';

describe('RowIdentity', () => {
  it("is orders' id until told another table's key", () => {
    const orders = new RowIdentity();
    expect(orders.table).toBe('orders');
    expect(orders.idOf({ id: 12, status: 'pending' })).toBe(12);
    expect(orders.label(12)).toBe('12');
  });

  it("keys a uuid table by its uuid, and a composite key's table by one string, named as a reader would", () => {
    const uuid = '3f2a0000-0000-4000-8000-00000000000b';
    const customers = new RowIdentity('customers', ['id']);
    expect(customers.idOf({ id: uuid, name: 'Ada' })).toBe(uuid);
    expect(customers.label(uuid)).toBe(uuid);

    const lines = new RowIdentity('order_lines', ['order_id', 'line_no']);
    const line = { order_id: 12, line_no: 3, product_name: 'Tea' };
    const id = lines.idOf(line);
    // The protocol's id (what diffs and keyset positions carry), not a page-made one.
    expect(id).toBe(rowIdOf(['order_id', 'line_no'], line));
    expect(lines.label(id)).toBe('12/3');
    expect(lines.idOf({ ...line, line_no: 4 })).not.toBe(id);
  });

  it('reads every kind of part back out of an encoded key', () => {
    const values = [12, -5, 'a/b', true, false, null, 0];
    expect(decodeKey(encodeKey(values))).toEqual(values);
    expect(new RowIdentity('t', ['a', 'b']).label(encodeKey(['x', null]))).toBe('x/null');
  });

  it('tells the same table and key from another', () => {
    expect(new RowIdentity('order_lines', ['order_id', 'line_no']).same(new RowIdentity('order_lines', ['order_id', 'line_no']))).toBe(
      true,
    );
    expect(new RowIdentity().same(new RowIdentity('customers', ['id']))).toBe(false);
  });
});
