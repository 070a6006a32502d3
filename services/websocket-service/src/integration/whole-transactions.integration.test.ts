/**
 * Whole transactions on the real stack (guarantee 7 of docs/architecture.md): a Postgres transaction of any size
 * reaches a table subscriber as one frame and a live window as one diff, because the service holds
 * its events until Debezium's END marker says all of them are in (transactions.ts). Before
 * transaction metadata, a 2,000-row insert reached a window in 9 diffs.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '@orders-live/protocol';
import { FrameClient, stackEndpoints, superuserPool, waitFor } from '@orders-live/testkit';
import { startApp, type RunningApp } from '../test-support.js';

const stack = stackEndpoints();
/** The sizes the issue names; the largest is one 20,000-row INSERT (a ~6 MB frame). */
const SIZES = [10, 100, 500, 2_000, 20_000];
/** The largest transaction crosses Debezium, Kafka and the service in seconds on a loaded 2-core machine. */
const ARRIVAL_TIMEOUT_MS = 90_000;

let db: pg.Pool;
let service: RunningApp;
let client: FrameClient;
const tag = `whole-${randomUUID().slice(0, 8)}`;

type Diff = Extract<ServerFrame, { type: 'diff' }>;
type Window = Extract<ServerFrame, { type: 'window' }>;

beforeAll(async () => {
  db = superuserPool(stack);
  service = await startApp(stack);
  client = await FrameClient.connect(service.wsUrl);
  await client.subscribe('table');
  client.send({
    type: 'subscribe',
    id: 'window',
    table: 'orders',
    filter: { customer_name: { prefix: tag } },
    window: { orderBy: { column: 'id', direction: 'desc' }, limit: 20 },
  });
  await client.next('the window', (f): f is Window => f.type === 'window' && f.id === 'window');
}, 180_000);
afterAll(async () => {
  await client?.close();
  await service?.close();
  await db?.query(`DELETE FROM orders WHERE customer_name LIKE $1`, [`${tag}%`]);
  await db?.end();
});

describe('a transaction of any size', () => {
  const figures: Record<number, { frames: number; diffs: number }> = {};

  it.each(SIZES)('of %i rows reaches a table subscriber in one frame and a window in one diff', async (size) => {
    const customer = `${tag}-${size}`;
    const { rows } = await db.query<{ txid: string }>(
      `WITH inserted AS (
         INSERT INTO orders (customer_name, product_name, quantity, amount)
         SELECT $1, 'Whole probe', 1 + n % 9, n FROM generate_series(1, $2::int) AS n RETURNING 1)
       SELECT txid_current()::text AS txid, count(*) FROM inserted`,
      [customer, size],
    );
    const txId = Number(rows[0]!.txid);
    const mine = (f: ServerFrame) => (f.type === 'transaction' || f.type === 'diff') && f.txId === txId;
    await waitFor(
      `the ${size}-row transaction at both subscriptions`,
      () => client.transactions().some((f) => f.txId === txId) && client.frames.some((f) => f.type === 'diff' && f.txId === txId),
      ARRIVAL_TIMEOUT_MS,
    );
    const frames = client.transactions().filter(mine);
    const diffs = client.frames.filter((f): f is Diff => f.type === 'diff' && mine(f));
    figures[size] = { frames: frames.length, diffs: diffs.length };
    expect(frames).toHaveLength(1);
    expect(frames[0]!.changes).toHaveLength(size);
    expect(frames[0]!.changes.every((c) => c.op === 'insert' && c.row?.customer_name === customer)).toBe(true);
    expect(diffs).toHaveLength(1);
    // The window's total is the whole run's rows at once: never a count the database did not hold.
    const before = SIZES.slice(0, SIZES.indexOf(size)).reduce((sum, n) => sum + n, 0);
    expect(diffs[0]!.total).toBe(before + size);
    expect(client.invalid).toEqual([]);
  });

  afterAll(() => {
    const each = SIZES.map((n) => `${n} rows → ${figures[n]?.frames ?? '–'} / ${figures[n]?.diffs ?? '–'}`);
    process.stdout.write(`frames / window diffs per transaction: ${each.join(', ')}\n`);
  });
});
