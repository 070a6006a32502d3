/**
 * Writes on behalf of a token that pins a row filter (a customer): each in one transaction, so the
 * check and the write see the same row, and a refusal rolls the write back (no change reaches the
 * WAL, so none reaches any page).
 *
 *   create  the row as the database makes it must match the filter            else 403
 *   update  the row must match before (else 403) and after the change         else 403, rolled back
 *   delete  the row must match                                                 else 403
 *
 * Rows are compared in their wire form with matchesFilter, the same test the websocket-service
 * applies, so what a customer may write is exactly what their live view shows.
 */
import { matchesFilter, type OrderRow, type RowFilter, type CreateOrder, type UpdateOrder } from '@orders-live/protocol';
import type { TransactionalDatabase } from './db.js';
import { forbidden, type ApiError } from './errors.js';
import { deleteOrder, getOrder, insertOrder, updateOrder } from './orders-repository.js';
import { withTransaction } from './transaction.js';

export function notYours(id: number): ApiError {
  return forbidden(`order ${id} is not among the orders your access token allows`);
}

export async function insertWithin(db: TransactionalDatabase, order: CreateOrder, filter: RowFilter): Promise<OrderRow> {
  return withTransaction(db, async (tx) => {
    const row = await insertOrder(tx, order);
    if (!matchesFilter(filter, row))
      throw forbidden("your access token does not allow creating this order: it would not match the token's filter on orders");
    return row;
  });
}

/** The updated row, or undefined when there is no order with that id. */
export async function updateWithin(
  db: TransactionalDatabase,
  id: number,
  patch: UpdateOrder,
  filter: RowFilter,
): Promise<OrderRow | undefined> {
  return withTransaction(db, async (tx) => {
    const before = await getOrder(tx, id, true);
    if (!before) return undefined;
    if (!matchesFilter(filter, before)) throw notYours(id);
    const after = await updateOrder(tx, id, patch);
    if (!after) return undefined;
    if (!matchesFilter(filter, after))
      throw forbidden(`your access token does not allow this change: order ${id} would no longer match the token's filter on orders`);
    return after;
  });
}

/** True when a row was deleted; false when there is no order with that id. */
export async function deleteWithin(db: TransactionalDatabase, id: number, filter: RowFilter): Promise<boolean> {
  return withTransaction(db, async (tx) => {
    const row = await getOrder(tx, id, true);
    if (!row) return false;
    if (!matchesFilter(filter, row)) throw notYours(id);
    return deleteOrder(tx, id);
  });
}
