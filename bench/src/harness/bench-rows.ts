/**
 * The rows a benchmark writes: inserted with a marker in customer_name, changed, and deleted by
 * that marker afterwards. Rows of other writers are never touched. Writes go through the superuser
 * pool, as any writer would: the service only ever sees them through the change stream.
 */
import type pg from 'pg';
import { superuserPool, type Cleanup, type StackEndpoints } from '@orders-live/testkit';
import { PRODUCTS, insertGeneratedOrders, insertOrders } from '@orders-live/testkit/rows';

/** Every benchmark row's customer_name starts with this, followed by the run's id. */
const BENCH_MARKER_PREFIX = 'orders-live-bench ';

export function benchMarker(runId: string): string {
  return `${BENCH_MARKER_PREFIX}${runId}`;
}

/** A run id that sorts by time and is unique enough between concurrent runs. */
export function newRunId(): string {
  return `${new Date()
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${process.pid}`;
}

/** Inserts `count` rows in one statement (one transaction); returns their ids. */
export async function insertBenchRows(db: pg.Pool | pg.PoolClient, marker: string, count: number): Promise<number[]> {
  return insertGeneratedOrders(db, count, { customerName: marker, ids: true });
}

/** Many rows: one statement per chunk keeps each transaction (and Debezium's batch) moderate. */
const INSERT_CHUNK_ROWS = 50_000;

/** `count` benchmark rows in transactions of at most INSERT_CHUNK_ROWS; their ids. */
export async function insertBenchRowsInChunks(db: pg.Pool, marker: string, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let done = 0; done < count; done += INSERT_CHUNK_ROWS)
    ids.push(...(await insertBenchRows(db, marker, Math.min(INSERT_CHUNK_ROWS, count - done))));
  return ids;
}

/** One insert in its own transaction (auto-commit). */
export async function insertOne(db: pg.Pool, marker: string, i: number): Promise<void> {
  await insertOrders(db, [
    {
      customer_name: marker,
      product_name: PRODUCTS[i % PRODUCTS.length]!,
      quantity: 1 + (i % 9),
      amount: (((i * 37) % 100_000) / 100).toFixed(2),
    },
  ]);
}

/** One single-row update in its own transaction: the quantity cycles, updated_at is stamped by the trigger. */
export async function updateOne(db: pg.Pool, id: number): Promise<void> {
  await db.query('UPDATE public.orders SET quantity = quantity % 9 + 1 WHERE id = $1', [id]);
}

/** Updates all the given rows in one statement: one transaction, one change per row. */
export async function updateMany(db: pg.Pool, ids: readonly number[]): Promise<void> {
  await db.query('UPDATE public.orders SET quantity = quantity % 9 + 1 WHERE id = ANY($1::bigint[])', [ids]);
}

/** Order lines per benchmark order, for a table with a composite key (order_lines). */
export const BENCH_LINES_PER_ORDER = 4;

/**
 * `count` order lines (composite key order_id, line_no) over count/4 new benchmark orders, in
 * transactions of at most INSERT_CHUNK_ROWS lines (`chunkRows` for one transaction of them all); each
 * line's product_name starts with the marker, so the page's search finds the run's lines. Deleting
 * the orders (deleteBenchRows) deletes the lines with them (ON DELETE CASCADE).
 */
export async function insertBenchLines(
  db: pg.Pool | pg.PoolClient,
  marker: string,
  count: number,
  chunkRows = INSERT_CHUNK_ROWS,
): Promise<void> {
  for (let done = 0; done < count; done += chunkRows) {
    const lines = Math.min(chunkRows, count - done);
    const orderIds = await insertBenchRows(db, marker, Math.ceil(lines / BENCH_LINES_PER_ORDER));
    await db.query(
      `INSERT INTO public.order_lines (order_id, line_no, product_name, quantity, unit_price)
       SELECT o, l, $1 || ' part ' || l, 1 + (o + l) % 9, ((o * 13 + l) % 10000) / 100.0
       FROM unnest($2::bigint[]) AS o CROSS JOIN generate_series(1, ${BENCH_LINES_PER_ORDER}) AS l
       ORDER BY o, l LIMIT $3`,
      [marker, orderIds, lines],
    );
  }
}

/**
 * Deletes the run's rows, in transactions of at most INSERT_CHUNK_ROWS orders; returns how many. Not
 * one transaction: a million deletes (and their lines') in one would stay in the topics as one
 * transaction every later start of the service holds whole while it reads it.
 */
export async function deleteBenchRows(db: pg.Pool, marker: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await db.query(
      'DELETE FROM public.orders WHERE id IN (SELECT id FROM public.orders WHERE customer_name = $1 LIMIT $2)',
      [marker, INSERT_CHUNK_ROWS],
    );
    deleted += result.rowCount ?? 0;
    if ((result.rowCount ?? 0) < INSERT_CHUNK_ROWS) return deleted;
  }
}

/** Deletes rows left by benchmark runs that died before their clean-up. */
export async function deleteLeftoverBenchRows(db: pg.Pool): Promise<number> {
  const result = await db.query('DELETE FROM public.orders WHERE starts_with(customer_name, $1)', [BENCH_MARKER_PREFIX]);
  return result.rowCount ?? 0;
}

/** The benchmark's Postgres pool, closed by the clean-up, after rows left by a run that died are deleted. */
export async function openBenchPool(
  stack: StackEndpoints,
  cleanup: Cleanup,
  log: (line: string) => void,
  connections?: number,
): Promise<pg.Pool> {
  const db = superuserPool(stack);
  if (connections !== undefined) db.options.max = connections;
  cleanup.add('close the Postgres pool', () => db.end());
  const leftovers = await deleteLeftoverBenchRows(db);
  if (leftovers > 0) log(`deleted ${leftovers} rows left by an earlier benchmark run`);
  return db;
}

/** A marker for this run's rows, and a clean-up step that deletes them. */
export function markRunRows(db: pg.Pool, cleanup: Cleanup, log: (line: string) => void): string {
  const marker = benchMarker(newRunId());
  cleanup.add('delete the benchmark rows', async () => log(`deleted ${await deleteBenchRows(db, marker)} benchmark rows`));
  return marker;
}
