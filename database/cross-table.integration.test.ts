/**
 * A transaction that touches several of the demo's tables (an order, its lines and a new customer,
 * as the simulator writes them) on the real stack, with the orders-only websocket-service: it reaches
 * an orders subscriber whole, as one frame of the order rows only, and is released by rule 1 of
 * transactions.ts ('end': Debezium's END counts events per data collection, and the service counts
 * public.orders' only), not held until the next transaction ('next') or a settle time ('end-missing').
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FrameClient,
  metricsText,
  stackEndpoints,
  startServiceProcess,
  superuserPool,
  waitFor,
  type ServiceProcess,
} from '@orders-live/testkit';

const stack = stackEndpoints();
/** Debezium, Kafka and the service cross in well under a second here; the bound is for a busy machine. */
const ARRIVAL_TIMEOUT_MS = 30_000;
const RELEASED = 'orders_transactions_released_total';
const tag = `cross-${randomUUID().slice(0, 8)}`;

let db: pg.Pool;
let service: ServiceProcess;
let client: FrameClient;

/** The service's count of transactions released by each rule. */
async function releasedBy(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const match of (await metricsText(service.httpUrl)).matchAll(new RegExp(`^${RELEASED}\\{by="([\\w-]+)"\\} (\\d+)`, 'gm'))) {
    counts[match[1]!] = Number(match[2]);
  }
  return counts;
}

beforeAll(async () => {
  db = superuserPool(stack);
  service = await startServiceProcess(stack);
  client = await FrameClient.connect(service.wsUrl);
  await client.subscribe('table');
}, 180_000);

afterAll(async () => {
  await client?.close();
  await service?.stop();
  // The lines go with their orders (ON DELETE CASCADE).
  await db?.query('DELETE FROM orders WHERE customer_name = $1', [tag]);
  await db?.query('DELETE FROM customers WHERE name = $1', [tag]);
  await db?.end();
});

describe('a transaction across orders, order_lines and customers', () => {
  it('reaches an orders subscriber whole, as its order rows only, released by END', async () => {
    const before = await releasedBy();
    const conn = await db.connect();
    let txId: number;
    try {
      await conn.query('BEGIN');
      const { rows } = await conn.query<{ id: string }>(
        `INSERT INTO orders (customer_name, product_name, quantity, amount)
         SELECT $1, 'Cross probe', 2, 10 * n FROM generate_series(1, 3) AS n RETURNING id`,
        [tag],
      );
      await conn.query(
        `INSERT INTO order_lines (order_id, line_no, product_name, quantity, unit_price)
         SELECT id, line_no, 'Cross probe', 1, 5 FROM unnest($1::bigint[]) AS id, generate_series(1, 2) AS line_no`,
        [rows.map((r) => r.id)],
      );
      await conn.query(`INSERT INTO customers (name, email, tier) VALUES ($1, $2, 'pro')`, [tag, `${tag}@example.com`]);
      txId = Number((await conn.query<{ txid: string }>('SELECT txid_current()::text AS txid')).rows[0]!.txid);
      await conn.query('COMMIT');
    } finally {
      conn.release();
    }
    await waitFor('the transaction at the orders subscriber', () => client.transactions().some((f) => f.txId === txId), ARRIVAL_TIMEOUT_MS);
    const frames = client.transactions().filter((f) => f.txId === txId);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.changes.map((c) => [c.op, c.row?.customer_name])).toEqual([
      ['insert', tag],
      ['insert', tag],
      ['insert', tag],
    ]);
    const after = await releasedBy();
    const delta = (by: string) => (after[by] ?? 0) - (before[by] ?? 0);
    // The counters are the service's, over every transaction it read meanwhile: other test files
    // write orders at the same time, and some of theirs are released by `next` (a later one followed).
    // None may be released for want of its END: the cross-table one's END counts events of three
    // tables, and only the orders ones may be waited for.
    expect(delta('end')).toBeGreaterThanOrEqual(1);
    expect({ endMissing: delta('end-missing'), noMetadata: delta('no-metadata') }).toEqual({ endMissing: 0, noMetadata: 0 });
    process.stdout.write(`released by, during the cross-table transaction: ${JSON.stringify({ end: delta('end') })}\n`);
  });
});
