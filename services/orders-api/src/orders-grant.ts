/**
 * What a request's access token grants on the orders table, the only table this API writes: the
 * orders filter of its `tables` claim (or of the older orders_filter claim), or every row when the
 * token names no tables. A token that grants other tables but not orders gets 403
 * E_TABLE_NOT_GRANTED; one whose orders filter names a column this API does not know (a column the
 * websocket-service learned of later, say) gets 403 E_FORBIDDEN: the API cannot hold rows to a
 * filter it cannot evaluate, and never takes it for no filter. Pure.
 */
import { ORDERS_TABLE, tableGrant, type Access } from '@orders-live/auth';
import { ERROR_CODES, rowFilterSchema, type RowFilter } from '@orders-live/protocol';
import { ApiError, forbidden } from './errors.js';

/** The row filter the token pins on orders (undefined: every row); throws the 403 when it grants no orders it can serve. */
export function ordersFilter(access: Access | null): RowFilter | undefined {
  if (access === null) return undefined;
  const grant = tableGrant(access.tables, ORDERS_TABLE);
  if (!grant.granted) throw new ApiError(403, ERROR_CODES.TABLE_NOT_GRANTED, `your access token does not grant table "${ORDERS_TABLE}"`);
  if (grant.filter === undefined) return undefined;
  const filter = rowFilterSchema.safeParse(grant.filter);
  if (!filter.success)
    throw forbidden(`your access token's filter on "${ORDERS_TABLE}" names a column or value this API cannot apply to orders`);
  return filter.data;
}
