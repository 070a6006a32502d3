/**
 * The orders columns as SQL that yields their wire form (OrderRow in @orders-live/protocol): amount as
 * its exact numeric(12,2) text, timestamps as ISO-8601 UTC with Postgres' microseconds.
 */
import type { OrderRow } from '@orders-live/protocol';

/** Each column as SQL that yields its wire form (the text a row filter compares with). */
export const WIRE_EXPRESSIONS: Readonly<Record<keyof OrderRow, string>> = {
  id: 'id',
  customer_name: 'customer_name',
  product_name: 'product_name',
  status: 'status',
  quantity: 'quantity',
  amount: 'amount::text',
  created_at: `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  updated_at: `to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};

// id stays bigint (pg hands int8 over as a string, never a rounded number). Not `id::text AS id`: that
// alias would make `ORDER BY id` sort the text, so '10' before '2'.
export const WIRE_COLUMNS = `id, customer_name, product_name, status, quantity, ${WIRE_EXPRESSIONS.amount} AS amount,
  ${WIRE_EXPRESSIONS.created_at} AS created_at,
  ${WIRE_EXPRESSIONS.updated_at} AS updated_at`;
