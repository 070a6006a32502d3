/**
 * Access per table on the real stack (the `tables` claim of an access token), the service serving
 * orders, customers and order_lines with access control on, rows written with SQL as any writer would:
 *   - a token granting customers pinned to tier = pro sees only pro customers, in the snapshot and
 *     live (a free customer inserted beside a pro one is not sent; one upgraded to pro enters, its
 *     free row withheld), and cannot widen that by asking for another tier;
 *   - it is refused order_lines and orders with E_TABLE_NOT_GRANTED, and a table not streamed with
 *     E_UNKNOWN_TABLE;
 *   - an orders-only token of the older orders_filter claim still sees its customer's orders, and is
 *     refused customers.
 * The rows carry a fresh tag (emails, customer names), so what other tests leave does not matter.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '@orders-live/auth';
import { BEARER_SUBPROTOCOL, type ErrorFrame, type ServerFrame, type SubscriptionFilter } from '@orders-live/protocol';
import { accessFixture, FrameClient, selectOrders, rowDifferences, stackEndpoints, superuserPool, waitFor } from '@orders-live/testkit';
import { startApp, type RunningApp } from '../test-support.js';

const { secret: SECRET, key: secret, ada: ADA, adaFilter } = accessFixture('tables-access');
const tag = `tables-access-${randomUUID().slice(0, 8)}`;
/** A commit not on the client this long after it is a failure (the first snapshot waits for the replica to catch up). */
const CONVERGE_TIMEOUT_MS = 60_000;
const PRO: SubscriptionFilter = { tier: { eq: 'pro' } };

const stack = stackEndpoints();
let db: pg.Pool;
let service: RunningApp;
const clients: FrameClient[] = [];

beforeAll(async () => {
  db = superuserPool(stack);
  const listFile = join(mkdtempSync(join(tmpdir(), 'tables-access-')), 'tables.list');
  writeFileSync(listFile, 'public.orders\npublic.customers\npublic.order_lines\n');
  service = await startApp(stack, { SERVER_ID: 'tables-access', AUTH_JWT_SECRET: SECRET, TABLES_FILE: listFile });
}, 120_000);

afterAll(async () => {
  for (const client of clients) await client.close();
  await db?.query('DELETE FROM customers WHERE email LIKE $1', [`${tag}-%`]);
  await db?.query('DELETE FROM orders WHERE customer_name = $1', [ADA]);
  await service?.close();
  await db?.end();
});

async function connect(tables: Record<string, SubscriptionFilter> | undefined, filter?: typeof adaFilter): Promise<FrameClient> {
  const token = await signAccessToken({ subject: 'test', tables, filter, ttlSeconds: 300 }, secret, Date.now());
  const client = await FrameClient.connect(service.wsUrl, { protocols: [BEARER_SUBPROTOCOL, token] });
  clients.push(client);
  return client;
}

async function insertCustomer(name: string, tier: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>('INSERT INTO customers (name, email, tier) VALUES ($1, $2, $3) RETURNING id', [
    name,
    `${tag}-${name.toLowerCase()}@example.com`,
    tier,
  ]);
  return rows[0]!.id;
}

/** The snapshot of a subscription, all its chunks, once the last one arrived. */
async function snapshot(client: FrameClient, id: string, table: string, filter?: SubscriptionFilter) {
  const from = client.frames.length;
  client.send({ type: 'subscribe', id, table, ...(filter ? { filter } : {}) });
  const isChunk = (f: ServerFrame): f is Extract<ServerFrame, { type: 'snapshot' }> => f.type === 'snapshot' && f.id === id;
  await client.next(
    `the snapshot of ${id}`,
    (f): f is Extract<ServerFrame, { type: 'snapshot' }> => isChunk(f) && f.done,
    from,
    CONVERGE_TIMEOUT_MS,
  );
  return client.frames
    .slice(from)
    .filter(isChunk)
    .flatMap((chunk) => chunk.rows);
}

/** The error frame a subscribe is answered with. */
async function refusal(client: FrameClient, id: string, table: string): Promise<ErrorFrame> {
  const from = client.frames.length;
  client.send({ type: 'subscribe', id, table });
  return client.next(`the refusal of ${id}`, (f): f is ErrorFrame => f.type === 'error' && f.id === id, from);
}

describe('a token granting customers pinned to tier = pro', () => {
  it('sees only pro customers, in the snapshot and live, even when it asks for every tier', async () => {
    const mine = { email: { prefix: `${tag}-` } };
    // A token without claims grants every table, every row: it tells when the service has the rows written before.
    const open = await connect(undefined);
    await snapshot(open, 'all', 'customers', mine);
    const earlierPro = await insertCustomer('Earlier', 'pro');
    const earlierFree = await insertCustomer('Earlierfree', 'free');
    await waitFor(
      'the earlier customers in the service',
      () => open.changes().some((c) => c.key['id'] === earlierFree),
      CONVERGE_TIMEOUT_MS,
    );
    expect(open.changes().map((c) => c.key['id'])).toEqual([earlierPro, earlierFree]);

    const client = await connect({ customers: PRO });
    const rows = await snapshot(client, 'c', 'customers', mine);
    // Asking for the free tier too widens nothing the token pins: still pro only.
    const anyTier = await snapshot(client, 'any', 'customers', { ...mine, tier: { in: ['free', 'pro', 'enterprise'] } });
    expect(rows.map((row) => row['id'])).toEqual([earlierPro]);
    expect(anyTier.map((row) => row['id'])).toEqual([earlierPro]);

    const pro = await insertCustomer('Ada', 'pro');
    const free = await insertCustomer('Bea', 'free');
    await db.query(`UPDATE customers SET tier = 'pro' WHERE id = $1`, [free]); // enters
    await db.query(`UPDATE customers SET tier = 'free' WHERE id = $1`, [pro]); // leaves
    const fence = await insertCustomer('Fence', 'pro');
    await waitFor(
      'the fence on both subscriptions',
      () => ['c', 'any'].every((id) => client.changes().some((c) => c.id === id && c.key['id'] === fence)),
      CONVERGE_TIMEOUT_MS,
    );
    for (const id of ['c', 'any']) {
      const seen = client
        .changes()
        .filter((c) => c.id === id)
        .map((c) => [c.op, c.key['id'], c.oldRow?.['tier'] ?? null, c.row?.['tier'] ?? null]);
      // The free insert is not sent; the free row before the upgrade and after the downgrade are withheld.
      expect(seen, id).toEqual([
        ['insert', pro, null, 'pro'],
        ['enter', free, null, 'pro'],
        ['leave', pro, 'pro', null],
        ['insert', fence, null, 'pro'],
      ]);
    }
    expect(client.invalid).toEqual([]);
  });

  it('is refused order_lines and orders with E_TABLE_NOT_GRANTED, and a table not streamed with E_UNKNOWN_TABLE', async () => {
    const client = await connect({ customers: PRO });
    expect(await refusal(client, 'lines', 'order_lines')).toMatchObject({ code: 'E_TABLE_NOT_GRANTED' });
    expect(await refusal(client, 'orders', 'orders')).toMatchObject({ code: 'E_TABLE_NOT_GRANTED' });
    expect(await refusal(client, 'nope', 'public.nope')).toMatchObject({ code: 'E_UNKNOWN_TABLE' });
    // Nothing of the refused tables was sent.
    expect(client.frames.filter((f) => 'table' in f && f.table !== 'customers')).toEqual([]);
  });
});

describe('an orders-only token (orders_filter)', () => {
  it("still sees its customer's orders as before, and is refused customers", async () => {
    const { rows: inserted } = await db.query<{ id: string }>(
      `INSERT INTO orders (customer_name, product_name, quantity, amount) VALUES ($1, 'Pen', 1, 10), ('Someone else', 'Pen', 1, 10) RETURNING id`,
      [ADA],
    );
    const client = await connect(undefined, adaFilter);
    await waitFor(
      'the rows in the service view',
      () => inserted.every(({ id }) => service.app.view.get(Number(id)) !== undefined),
      CONVERGE_TIMEOUT_MS,
    );
    const rows = await snapshot(client, 'o', 'orders');
    expect(rowDifferences(rows, await selectOrders(db, 'customer_name = $1', [ADA]))).toEqual([]);
    expect(await refusal(client, 'c', 'customers')).toMatchObject({ code: 'E_TABLE_NOT_GRANTED' });
    await db.query('DELETE FROM orders WHERE id = $1', [Number(inserted[1]!.id)]);
  });
});
