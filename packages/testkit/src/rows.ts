/**
 * Orders rows for tests, tools and benchmarks: orderRow for pure tests, and the one writer of new
 * rows (insertOrders, insertGeneratedOrders) for everything that commits them to Postgres. The
 * writers take the caller's connection and import nothing at run time, so unit tests import this
 * module alone, and a tool writes as its own role, inside its own transaction.
 */
import type { OrderRow } from '@orders-live/protocol';

/** An orders row for pure tests, every column set; a test overrides what it is about. */
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

/** A pg Pool, PoolClient or Client: whatever the caller writes with. */
export interface Queryable {
  query<R extends object>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/** What a writer sets of a new order; Postgres fills in the id and timestamps, and status 'pending' when absent. */
export interface NewOrder {
  readonly customer_name: string;
  readonly product_name: string;
  readonly status?: OrderRow['status'];
  readonly quantity: number;
  readonly amount: string | number;
}

/** Inserts the orders in one statement; their ids and statuses, in the order given. */
export async function insertOrders(db: Queryable, orders: readonly NewOrder[]): Promise<{ id: number; status: OrderRow['status'] }[]> {
  const values: unknown[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  const tuples = orders.map(
    (o) =>
      `(${param(o.customer_name)}, ${param(o.product_name)}, ${o.status === undefined ? 'DEFAULT' : param(o.status)}, ${param(o.quantity)}, ${param(o.amount)})`,
  );
  const { rows } = await db.query<{ id: string; status: OrderRow['status'] }>(
    `INSERT INTO public.orders (customer_name, product_name, status, quantity, amount) VALUES ${tuples.join(', ')} RETURNING id, status`,
    values,
  );
  return rows.map((row) => ({ id: Number(row.id), status: row.status }));
}

/** The products generated rows cycle through. */
export const PRODUCTS = ['Mechanical keyboard', 'USB-C dock', 'Noise-cancelling headphones', '27" monitor', 'Fountain pen'];

export interface GeneratedOrders {
  /** Every row's customer_name; without it, 50,000 distinct customers ("Customer <n>"). */
  readonly customerName?: string;
  /** Statuses cycled through all three, and created_at spread over the last ~28 hours: a table that has lived. Else pending, created now. */
  readonly aged?: boolean;
  /** Return the new ids (else an empty list: a million ids are not worth the transfer). */
  readonly ids?: boolean;
}

/** `count` generated orders in one statement (one transaction), Postgres making the values; their ids when asked. */
export async function insertGeneratedOrders(db: Queryable, count: number, options: GeneratedOrders = {}): Promise<number[]> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO public.orders (customer_name, product_name, status, quantity, amount, created_at)
     SELECT coalesce($1, 'Customer ' || (g % 50000)), ($2::text[])[1 + g % 5],
            CASE WHEN $4 THEN (ARRAY['pending','shipped','delivered'])[1 + g % 3] ELSE 'pending' END,
            1 + g % 9, ((g * 37) % 100000) / 100.0,
            CASE WHEN $4 THEN now() - (g % 100000) * interval '1 second' ELSE now() END
     FROM generate_series(1, $3::int) AS g
     ${options.ids ? 'RETURNING id' : ''}`,
    [options.customerName ?? null, PRODUCTS, count, options.aged ?? false],
  );
  return rows.map((row) => Number(row.id));
}
