/** An order's life: pending → shipped → delivered. The "advance" button moves it one step. */
import type { OrderStatus } from '@orders-live/protocol';

const NEXT: Readonly<Record<OrderStatus, OrderStatus | undefined>> = {
  pending: 'shipped',
  shipped: 'delivered',
  delivered: undefined,
};

/** The status after this one; undefined for delivered (the last). */
export function nextStatus(status: OrderStatus): OrderStatus | undefined {
  return NEXT[status];
}
