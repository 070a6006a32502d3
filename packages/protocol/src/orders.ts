/**
 * The orders row as it travels on the wire, exactly as the database holds it:
 * `amount` stays a decimal string (numeric(12,2) has more precision than a JS number),
 * timestamps stay ISO-8601 strings in UTC with Postgres' microseconds.
 */
import * as z from 'zod';

export const ORDER_STATUSES = ['pending', 'shipped', 'delivered'] as const;
export const orderStatusSchema = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

/** A database id: bigint in Postgres, accepted while it is exact as a JS number. */
export const orderIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Plain decimal text such as "1234.50"; never a float. */
export const decimalStringSchema = z.string().regex(/^-?\d{1,30}(\.\d{1,30})?$/, 'expected a decimal string');

/** An ISO-8601 instant with an explicit offset (Debezium writes timestamptz in UTC with a Z). */
export const instantSchema = z.iso.datetime({ offset: true });

export const orderRowSchema = z.strictObject({
  id: orderIdSchema,
  customer_name: z.string(),
  product_name: z.string(),
  status: orderStatusSchema,
  quantity: z.number().int(),
  amount: decimalStringSchema,
  created_at: instantSchema,
  updated_at: instantSchema,
});
export type OrderRow = z.infer<typeof orderRowSchema>;

export const orderKeySchema = z.strictObject({ id: orderIdSchema });
export type OrderKey = z.infer<typeof orderKeySchema>;

/** Column names in table order: the page's default column order. */
export const ORDER_COLUMNS = Object.keys(orderRowSchema.shape) as (keyof OrderRow)[];

/**
 * A streamed table's name on the wire: the table's own name for the public schema ("orders"),
 * "<schema>.<table>" for another. Which tables a replica streams its welcome frame lists.
 */
export const tableNameSchema = z
  .string()
  .max(127)
  .regex(/^[a-z_][a-z0-9_$]*(\.[a-z_][a-z0-9_$]*)?$/, 'expected a table name such as "orders" or "schema.table"');
export type TableName = string;

/** The table clients subscribe to when they name none (and the only one with a write API). */
export const DEFAULT_TABLE = 'orders';
