/**
 * `npm run simulate -- --rate <tx/s> --duration <s>`: commits a realistic mix of inserts (orders with
 * their lines, in one transaction), status advances, deletes and new customers straight into
 * Postgres (like any writer would; the page sees them through the change stream), prints a line per
 * second, and stops cleanly on Ctrl-C.
 */
import pg from 'pg';
import { runCli } from '@orders-live/cli-kit';
import { insertOrders } from '@orders-live/testkit/rows';
import { USAGE, parseOptions, type SimulatorOptions } from './args.js';
import { nextTransaction, type KnownOrder, type Operation } from './plan.js';

/** Orders the simulator looks at when it starts: recent ones, so it advances and deletes real rows. */
const KNOWN_ORDERS_ON_START = 500;
const PROGRESS_INTERVAL_MS = 1_000;

async function apply(client: pg.PoolClient, operation: Operation, known: Map<number, KnownOrder>): Promise<void> {
  switch (operation.kind) {
    case 'insert': {
      const [row] = await insertOrders(client, [
        { customer_name: operation.customer, product_name: operation.product, quantity: operation.quantity, amount: operation.amount },
      ]);
      // The lines in the order's transaction: one commit that touches orders and order_lines.
      for (const [index, line] of operation.lines.entries()) {
        await client.query('INSERT INTO order_lines (order_id, line_no, product_name, quantity, unit_price) VALUES ($1, $2, $3, $4, $5)', [
          row!.id,
          index + 1,
          line.product,
          line.quantity,
          line.unitPrice,
        ]);
      }
      known.set(row!.id, { id: row!.id, status: 'pending' });
      return;
    }
    case 'customer':
      // A taken email (unlikely: its number is random) is skipped, not a failed transaction.
      await client.query('INSERT INTO customers (name, email, tier) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING', [
        operation.name,
        operation.email,
        operation.tier,
      ]);
      return;
    case 'advance': {
      const { rows } = await client.query<{ status: KnownOrder['status'] }>(
        `UPDATE orders SET status = CASE status WHEN 'pending' THEN 'shipped' ELSE 'delivered' END
         WHERE id = $1 AND status <> 'delivered' RETURNING status`,
        [operation.id],
      );
      if (rows[0]) known.set(operation.id, { id: operation.id, status: rows[0].status });
      else known.delete(operation.id); // gone or changed by someone else meanwhile
      return;
    }
    case 'delete':
      await client.query('DELETE FROM orders WHERE id = $1', [operation.id]);
      known.delete(operation.id);
  }
}

async function simulate(options: SimulatorOptions): Promise<void> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  // An idle connection that dies with a database restart is replaced on next use; say so, go on.
  pool.on('error', (err) => process.stderr.write(`simulate: idle connection lost (${err.message}); reconnecting on next use\n`));
  const known = new Map<number, KnownOrder>();
  const { rows } = await pool.query<{ id: string; status: KnownOrder['status'] }>(
    'SELECT id, status FROM orders ORDER BY id DESC LIMIT $1',
    [KNOWN_ORDERS_ON_START],
  );
  for (const row of rows) known.set(Number(row.id), { id: Number(row.id), status: row.status });

  let stopping = false;
  const stop = () => {
    if (!stopping) process.stdout.write('\nstopping after the current transaction…\n');
    stopping = true;
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const totals = { transactions: 0, insert: 0, advance: 0, delete: 0, customer: 0, failed: 0 };
  let lastPrint = { at: Date.now(), transactions: 0 };
  const started = Date.now();
  const endAt = options.durationSeconds > 0 ? started + options.durationSeconds * 1_000 : Number.POSITIVE_INFINITY;
  const intervalMs = 1_000 / options.ratePerSecond;
  process.stdout.write(`simulating ${options.ratePerSecond} transactions/s for ${options.durationSeconds || '∞'} s (Ctrl-C stops)\n`);

  for (let tick = 0; !stopping && Date.now() < endAt; tick++) {
    const operations = nextTransaction([...known.values()], Math.random);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (const operation of operations) await apply(client, operation, known);
      await client.query('COMMIT');
      totals.transactions += 1;
      for (const operation of operations) totals[operation.kind] += 1;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      totals.failed += 1;
      process.stderr.write(`simulate: transaction failed: ${(err as Error).message}\n`);
    } finally {
      client.release();
    }
    const now = Date.now();
    if (now - lastPrint.at >= PROGRESS_INTERVAL_MS) {
      const rate = ((totals.transactions - lastPrint.transactions) * 1_000) / (now - lastPrint.at);
      process.stdout.write(
        `${((now - started) / 1_000).toFixed(0).padStart(4)} s  ${rate.toFixed(1)} tx/s  inserted ${totals.insert}  advanced ${totals.advance}  deleted ${totals.delete}  customers ${totals.customer}  failed ${totals.failed}\n`,
      );
      lastPrint = { at: now, transactions: totals.transactions };
    }
    // Pace to the target rate from the start, so slow transactions do not drift the schedule.
    const wait = started + (tick + 1) * intervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  await pool.end();
  process.stdout.write(
    `done: ${totals.transactions} transactions (${totals.insert} order inserts with their lines, ${totals.advance} status advances, ${totals.delete} deletes, ${totals.customer} new customers), ${totals.failed} failed\n`,
  );
}

await runCli({ name: 'simulate', usage: USAGE, parse: parseOptions, run: simulate });
