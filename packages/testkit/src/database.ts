/** Postgres access for tests: the superuser (to write as any writer would), the connector's, the API's and the editor's roles. */
import pg from 'pg';
import type { LiveRow, OrderRow } from '@orders-live/protocol';
import { readEnvFile } from './env-file.js';
import type { StackEndpoints } from './stack.js';

export function superuserPool(stack: StackEndpoints): pg.Pool {
  const { host, port, database, superuser, password } = stack.postgres;
  const pool = new pg.Pool({ host, port, database, user: superuser, password, max: 4 });
  // An idle connection dies with the server (chaos runs kill it); the pool replaces it on next use.
  pool.on('error', () => undefined);
  return pool;
}

export function debeziumClient(stack: StackEndpoints): pg.Client {
  const { host, port, database } = stack.postgres;
  return new pg.Client({ host, port, database, user: 'debezium', password: stack.debeziumPassword });
}

/** The orders API's role (ORDERS_API_DB_PASSWORD: the environment, else .env, else the demo default). */
export function ordersApiClient(stack: StackEndpoints): pg.Client {
  const { host, port, database } = stack.postgres;
  const password = process.env['ORDERS_API_DB_PASSWORD'] ?? readEnvFile()['ORDERS_API_DB_PASSWORD'] ?? 'orders_api';
  return new pg.Client({ host, port, database, user: 'orders_api', password });
}

/** The password of orders_editor, the role people log into Adminer with (the environment, else .env, else the demo default). */
export function ordersEditorPassword(): string {
  return process.env['ORDERS_EDITOR_DB_PASSWORD'] ?? readEnvFile()['ORDERS_EDITOR_DB_PASSWORD'] ?? 'orders_editor';
}

export function ordersEditorClient(stack: StackEndpoints): pg.Client {
  const { host, port, database } = stack.postgres;
  return new pg.Client({ host, port, database, user: 'orders_editor', password: ordersEditorPassword() });
}

/**
 * The row as Postgres holds it, in the wire's text forms: numeric as its exact text, timestamps as
 * ISO-8601 UTC with microseconds. (pg's own Date parsing would drop the microseconds.)
 */
const WIRE_COLUMNS = `id::int8::text AS id, customer_name, product_name, status, quantity, amount::text AS amount,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at,
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at`;

function toRow(raw: Record<string, unknown>): OrderRow {
  return { ...(raw as unknown as OrderRow), id: Number(raw['id']) };
}

export async function selectOrders(db: pg.Pool | pg.Client, where = 'true', params: unknown[] = []): Promise<OrderRow[]> {
  const result = await db.query(`SELECT ${WIRE_COLUMNS} FROM public.orders WHERE ${where} ORDER BY public.orders.id`, params);
  return result.rows.map(toRow);
}

/** Microseconds since the epoch of an ISO-8601 instant, so "…12.5Z" and "…12.500000Z" compare equal. */
export function isoToMicros(iso: string): bigint {
  const match = /^(.*?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!match) throw new Error(`not an ISO instant: ${iso}`);
  const seconds = BigInt(Date.parse(`${match[1]}${match[3]}`)) / 1000n;
  const fraction = (match[2] ?? '').padEnd(6, '0').slice(0, 6);
  return seconds * 1_000_000n + BigInt(fraction);
}

/** A row with its timestamps normalised to microseconds, for exact comparison. */
export function comparable(row: LiveRow | null): Record<string, unknown> | null {
  if (row === null) return null;
  const micros = (value: unknown) => (typeof value === 'string' ? isoToMicros(value) : value);
  return { ...row, created_at: micros(row['created_at']), updated_at: micros(row['updated_at']) };
}

/**
 * Differences between two sets of rows (by id, or by `idOf` for a table keyed otherwise; timestamps
 * compared to the microsecond), as short readable lines: empty when they hold the same rows with the same values.
 */
export function rowDifferences(
  actual: readonly LiveRow[],
  expected: readonly LiveRow[],
  idOf: (row: LiveRow) => unknown = (row) => row.id,
): string[] {
  const show = (row: LiveRow | undefined) => (row ? JSON.stringify(row) : 'absent');
  const same = (a: LiveRow, b: LiveRow) => {
    const ca = comparable(a)!;
    const cb = comparable(b)!;
    return Object.keys(cb).every((key) => ca[key] === cb[key]) && Object.keys(ca).length === Object.keys(cb).length;
  };
  const actualById = new Map(actual.map((row) => [idOf(row), row]));
  const expectedById = new Map(expected.map((row) => [idOf(row), row]));
  const differences: string[] = [];
  for (const id of new Set([...actualById.keys(), ...expectedById.keys()])) {
    const a = actualById.get(id);
    const e = expectedById.get(id);
    if (!a || !e || !same(a, e)) differences.push(`id ${String(id)}: got ${show(a)}, expected ${show(e)}`);
  }
  return differences;
}
