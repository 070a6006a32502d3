/** An orders row for pure tests, every column set; a test overrides what it is about. No I/O, so unit tests import it alone. */
import type { OrderRow } from '@orders-live/protocol';

export function orderRow(id: number, patch: Partial<OrderRow> = {}): OrderRow {
  return {
    id,
    customer_name: 'Ada',
    product_name: 'Pen',
    status: 'pending',
    quantity: 1,
    amount: '1.00',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...patch,
  };
}
