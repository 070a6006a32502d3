/** Hand-written protocol frames for the page's tests (not imported by the page itself). */
import type { ChangeFrame, OrderRow, SnapshotFrame } from '@orders-live/protocol';

export function order(id: number, overrides: Partial<OrderRow> = {}): OrderRow {
  return {
    id,
    customer_name: `Customer ${id}`,
    product_name: 'Widget',
    status: 'pending',
    quantity: 1,
    amount: '19.90',
    created_at: '2025-01-02T03:04:05.123456Z',
    updated_at: '2025-01-02T03:04:05.123456Z',
    ...overrides,
  };
}

export function snapshot(rows: OrderRow[], cursor: string, done = true, id = 'orders'): SnapshotFrame {
  return { type: 'snapshot', id, table: 'orders', rows, cursor, done };
}

export function insert(row: OrderRow, cursor: string, commitTime = 0): ChangeFrame {
  return { type: 'change', id: 'orders', table: 'orders', op: 'insert', key: { id: row.id }, row, oldRow: null, changed: Object.keys(row), commitTime, cursor };
}

export function update(oldRow: OrderRow, row: OrderRow, cursor: string, commitTime = 0): ChangeFrame {
  const changed = Object.keys(row).filter((column) => row[column as keyof OrderRow] !== oldRow[column as keyof OrderRow]);
  return { type: 'change', id: 'orders', table: 'orders', op: 'update', key: { id: row.id }, row, oldRow, changed, commitTime, cursor };
}

export function remove(oldRow: OrderRow, cursor: string, commitTime = 0): ChangeFrame {
  return { type: 'change', id: 'orders', table: 'orders', op: 'delete', key: { id: oldRow.id }, row: null, oldRow, changed: Object.keys(oldRow), commitTime, cursor };
}
