/**
 * The orders table, statement by statement. Every value travels as a bind parameter; the only SQL
 * assembled at run time is a choice among the fixed column names below and the fixed column
 * expressions of wire-columns.ts (row-filter-sql.ts). Rows come back in the wire
 * format of OrderRow: id as a number, amount as its exact text, timestamps as ISO-8601 UTC with
 * Postgres' microseconds.
 */
import type { OrderRow, RowFilter, CreateOrder, UpdateOrder } from '@orders-live/protocol';
import type { Database } from './db.js';
import { filterConditions } from './row-filter-sql.js';
import { WIRE_COLUMNS } from './wire-columns.js';

/** The columns a client may write; id, created_at and updated_at belong to the database. */
const WRITABLE_COLUMNS = ['customer_name', 'product_name', 'status', 'quantity', 'amount'] as const;
type WritableColumn = (typeof WRITABLE_COLUMNS)[number];

interface RawRow extends Omit<OrderRow, 'id'> {
  readonly id: string | number;
}

function toOrderRow(raw: RawRow): OrderRow {
  const id = Number(raw.id);
  // bigint ids beyond 2^53 would be silently rounded; refuse loudly instead (500).
  if (!Number.isSafeInteger(id)) throw new Error(`order id ${raw.id} is beyond what a JSON number holds exactly`);
  return { ...raw, id };
}

/** The given fields, in table order, as columns and values. */
function writes(fields: Partial<Record<WritableColumn, unknown>>): { columns: WritableColumn[]; values: unknown[] } {
  const columns = WRITABLE_COLUMNS.filter((column) => fields[column] !== undefined);
  return { columns, values: columns.map((column) => fields[column]) };
}

export interface Page {
  readonly orders: OrderRow[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly next: number | null;
}

interface PageRequest {
  readonly status?: OrderRow['status'] | undefined;
  readonly after?: number | undefined;
  readonly limit: number;
  /** Only rows this filter matches (an access token's pinned filter). */
  readonly within?: RowFilter | undefined;
}

/** Keyset pagination by id: one row more than asked tells whether another page exists. */
export async function listOrders(db: Database, page: PageRequest): Promise<Page> {
  const values: unknown[] = [];
  const conditions: string[] = [];
  if (page.status !== undefined) {
    values.push(page.status);
    conditions.push(`status = $${values.length}`);
  }
  if (page.after !== undefined) {
    values.push(page.after);
    conditions.push(`id > $${values.length}`);
  }
  if (page.within !== undefined) conditions.push(...filterConditions(page.within, values));
  values.push(page.limit + 1);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const result = await db.query<RawRow>(
    `SELECT ${WIRE_COLUMNS} FROM public.orders ${where} ORDER BY orders.id LIMIT $${values.length}`,
    values,
  );
  const orders = result.rows.slice(0, page.limit).map(toOrderRow);
  const more = result.rows.length > page.limit;
  return { orders, next: more ? orders[orders.length - 1]!.id : null };
}

/** `lock`: FOR UPDATE, inside a transaction, so the row cannot change before the transaction ends. */
export async function getOrder(db: Database, id: number, lock = false): Promise<OrderRow | undefined> {
  const result = await db.query<RawRow>(`SELECT ${WIRE_COLUMNS} FROM public.orders WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  const row = result.rows[0];
  return row ? toOrderRow(row) : undefined;
}

export async function insertOrder(db: Database, order: CreateOrder): Promise<OrderRow> {
  const { columns, values } = writes(order);
  const placeholders = columns.map((_, index) => `$${index + 1}`);
  const result = await db.query<RawRow>(
    `INSERT INTO public.orders (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING ${WIRE_COLUMNS}`,
    values,
  );
  const row = result.rows[0];
  if (!row) throw new Error('INSERT … RETURNING returned no row');
  return toOrderRow(row);
}

/** The updated row, or undefined when there is no order with that id. */
export async function updateOrder(db: Database, id: number, patch: UpdateOrder): Promise<OrderRow | undefined> {
  const { columns, values } = writes(patch);
  if (columns.length === 0) throw new Error('updateOrder needs at least one field');
  const assignments = columns.map((column, index) => `${column} = $${index + 1}`);
  values.push(id);
  const result = await db.query<RawRow>(
    `UPDATE public.orders SET ${assignments.join(', ')} WHERE id = $${values.length} RETURNING ${WIRE_COLUMNS}`,
    values,
  );
  const row = result.rows[0];
  return row ? toOrderRow(row) : undefined;
}

/** True when a row was deleted. */
export async function deleteOrder(db: Database, id: number): Promise<boolean> {
  const result = await db.query('DELETE FROM public.orders WHERE id = $1', [id]);
  return result.rowCount === 1;
}
