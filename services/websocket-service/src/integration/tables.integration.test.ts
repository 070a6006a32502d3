/**
 * Several tables on the real stack, as the tables list (TABLES_FILE) names them: a uuid key
 * (customers) and a composite key (order_lines) stream live beside orders, welcome lists each with
 * its key, a window counts by the column the subscriber names, a table added to the list while the
 * service runs is served from then on, a transaction of two tables reaches a connection subscribed to
 * both as one unit, a table whose topic holds no row yet is listed without columns (a subscription to
 * it waits rather than be told another table's shape), and a table removed ends its subscriptions
 * with E_UNKNOWN_TABLE.
 * The rows carry a fresh tag, so what other tests leave in the tables does not matter.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Kafka, logLevel } from 'kafkajs';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKey, type ErrorFrame, type WelcomeFrame } from '@orders-live/protocol';
import { FrameClient, recordingClient, stackEndpoints, superuserPool, waitFor, type RecordingClient } from '@orders-live/testkit';
import { startApp, type RunningApp } from '../test-support.js';

const stack = stackEndpoints();
const tag = `tables-${randomUUID().slice(0, 8)}`;
/** A commit not on the client this long after it is a failure. */
const CONVERGE_TIMEOUT_MS = 20_000;
/** How often the service reads the tables list here: a table added is served within it. */
const POLL_MS = 200;

let db: pg.Pool;
let app: RunningApp;
let listFile: string;
const clients: RecordingClient[] = [];

function client(options: Parameters<typeof recordingClient>[1]): RecordingClient {
  const recorder = recordingClient(app.wsUrl, options);
  clients.push(recorder);
  recorder.client.connect();
  return recorder;
}

beforeAll(async () => {
  db = superuserPool(stack);
  listFile = join(mkdtempSync(join(tmpdir(), 'tables-')), 'tables.list');
  writeFileSync(listFile, '# the test\u2019s list\npublic.orders\npublic.customers\n');
  app = await startApp(stack, {
    SERVER_ID: 'tables-a',
    TABLES_FILE: listFile,
    TABLES_FILE_POLL_MS: String(POLL_MS),
    COUNT_BY: 'orders=status,customers=tier',
  });
}, 120_000);
afterAll(async () => {
  for (const recorder of clients) recorder.client.close();
  await app?.close();
  await db?.end();
});

describe('tables of any primary key', () => {
  it('lists the tables at welcome with their keys, and streams a uuid-keyed table live with counts by a named column', async () => {
    const welcomes: WelcomeFrame[] = [];
    const customers = client({ table: 'customers', filter: { email: { prefix: `${tag}-` } } });
    customers.client.on('welcome', (frame) => welcomes.push(frame));
    await customers.waitLive(60_000);
    const [welcome] = welcomes;
    expect(welcome?.tables.map((table) => [table.name, table.key, table.countBy])).toEqual([
      ['orders', ['id'], 'status'],
      ['customers', ['id'], 'tier'],
    ]);
    expect(welcome?.tables[1]?.columns.find((column) => column.name === 'id')?.kind).toBe('uuid');

    const counted = client({
      table: 'customers',
      filter: { email: { prefix: `${tag}-` } },
      window: { orderBy: { column: 'name', direction: 'asc' }, limit: 10 },
    });
    await counted.waitLive(60_000);

    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO customers (name, email, tier) VALUES ('Ada', $1, 'pro'), ('Bea', $2, 'free') RETURNING id`,
      [`${tag}-ada@example.com`, `${tag}-bea@example.com`],
    );
    const [ada, bea] = rows.map((row) => row.id);
    await waitFor('both customers on the table client', () => customers.client.size === 2, CONVERGE_TIMEOUT_MS);
    // A row's id is its uuid: the client finds it by it.
    expect(customers.client.get(ada!)?.['name']).toBe('Ada');
    expect(customers.applied.map((change) => [change.op, change.change.key])).toEqual([
      ['insert', { id: ada }],
      ['insert', { id: bea }],
    ]);
    await waitFor('both customers in the window', () => counted.client.window?.total === 2, CONVERGE_TIMEOUT_MS);
    expect(counted.client.window?.counts).toEqual({ pro: 1, free: 1 });

    await db.query(`UPDATE customers SET tier = 'enterprise' WHERE id = $1`, [bea]);
    await waitFor('the window counts the new tier', () => counted.client.window?.counts['enterprise'] === 1, CONVERGE_TIMEOUT_MS);
    expect(counted.client.window?.counts).toEqual({ pro: 1, free: 0, enterprise: 1 });
    expect(customers.client.get(bea!)?.['tier']).toBe('enterprise');
  });

  it('serves a composite-key table added to the list while it runs, and ends its subscriptions when it is removed', async () => {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO orders (customer_name, product_name, quantity, amount) VALUES ($1, 'Desk', 1, '10.00') RETURNING id`,
      [`${tag}-Cy`],
    );
    const orderId = Number(rows[0]!.id);
    writeFileSync(listFile, 'public.orders\npublic.customers\npublic.order_lines\n');
    await waitFor(
      'the service to serve order_lines',
      async () => {
        const ready = (await (await fetch(`${app.httpUrl}/readyz`)).json()) as { tables: Record<string, { caughtUp: boolean }> };
        return ready.tables['order_lines']?.caughtUp === true;
      },
      CONVERGE_TIMEOUT_MS,
    );

    const errors: ErrorFrame[] = [];
    const lines = client({
      table: 'order_lines',
      filter: { order_id: { eq: orderId } },
      window: { orderBy: { column: 'quantity', direction: 'desc' }, limit: 10 },
    });
    lines.client.on('server-error', (frame) => errors.push(frame));
    await lines.waitLive(60_000);

    // Two lines and their order in one transaction, then a change of one line.
    const tx = await db.connect();
    try {
      await tx.query('BEGIN');
      await tx.query(
        `INSERT INTO order_lines (order_id, line_no, product_name, quantity, unit_price) VALUES ($1, 1, 'Lamp', 2, '5.00'), ($1, 2, 'Bulb', 3, '1.00')`,
        [orderId],
      );
      await tx.query(`UPDATE orders SET quantity = 2 WHERE id = $1`, [orderId]);
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
    await waitFor('both lines in the window', () => lines.client.window?.total === 2, CONVERGE_TIMEOUT_MS);
    // Ties and positions are by the composite key; a row's id encodes it in key order.
    expect(lines.client.window?.rows.map((row) => lines.client.idOf(row))).toEqual([encodeKey([orderId, 2]), encodeKey([orderId, 1])]);

    // One connection following both tables: the transaction's two parts arrive back to back, with its
    // txId, nothing of another transaction between them, the order's part first (the tables' order).
    const both = await FrameClient.connect(app.wsUrl);
    both.send({ type: 'subscribe', id: 'o', table: 'orders', filter: { customer_name: { prefix: tag } } });
    both.send({ type: 'subscribe', id: 'l', table: 'order_lines', filter: { order_id: { gte: orderId } } });
    await waitFor('both snapshots', () => both.frames.filter((f) => f.type === 'snapshot' && f.done).length === 2, CONVERGE_TIMEOUT_MS);
    const tx2 = await db.connect();
    let txId = 0;
    try {
      await tx2.query('BEGIN');
      await tx2.query(`UPDATE orders SET quantity = 3 WHERE id = $1`, [orderId]);
      await tx2.query(
        `INSERT INTO order_lines (order_id, line_no, product_name, quantity, unit_price) VALUES ($1, 3, 'Shade', 1, '7.00')`,
        [orderId],
      );
      txId = Number((await tx2.query<{ txid: string }>('SELECT txid_current() AS txid')).rows[0]!.txid);
      await tx2.query('COMMIT');
    } finally {
      tx2.release();
    }
    await waitFor(
      'both parts of the transaction',
      () => both.transactions().filter((f) => f.txId === txId).length === 2,
      CONVERGE_TIMEOUT_MS,
    );
    const sequence = both.frames.filter((f) => f.type === 'transaction');
    const at = sequence.findIndex((f) => f.txId === txId);
    expect(sequence.slice(at, at + 2).map((f) => [f.table, f.txId])).toEqual([
      ['orders', txId],
      ['order_lines', txId],
    ]);
    await both.close();

    await db.query(`UPDATE order_lines SET quantity = 9 WHERE order_id = $1 AND line_no = 1`, [orderId]);
    await waitFor('line 1 first, by its new quantity', () => lines.client.window?.rows[0]?.['line_no'] === 1, CONVERGE_TIMEOUT_MS);
    await db.query(`DELETE FROM order_lines WHERE order_id = $1 AND line_no IN (2, 3)`, [orderId]);
    await waitFor('lines 2 and 3 gone', () => lines.client.window?.total === 1, CONVERGE_TIMEOUT_MS);

    writeFileSync(listFile, 'public.orders\npublic.customers\n');
    await waitFor('the subscription told the table is gone', () => errors.length > 0, CONVERGE_TIMEOUT_MS);
    expect(errors[0]).toMatchObject({ type: 'error', code: 'E_UNKNOWN_TABLE' });
  });

  it('lists a table whose topic holds no row yet without columns, and keeps a subscription to it waiting', async () => {
    const name = `tables_empty_${tag.slice('tables-'.length)}`;
    const kafka = new Kafka({ clientId: 'tables-test', brokers: [...stack.kafkaBrokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topic = `orders.public.${name}`;
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
      writeFileSync(listFile, `public.orders\npublic.customers\npublic.${name}\n`);
      await waitFor(
        'the service to read the empty topic to its end',
        async () => {
          const ready = (await (await fetch(`${app.httpUrl}/readyz`)).json()) as { tables: Record<string, { caughtUp: boolean }> };
          return ready.tables[name]?.caughtUp === true;
        },
        CONVERGE_TIMEOUT_MS,
      );
      const probe = await FrameClient.connect(app.wsUrl);
      const welcome = await probe.next('welcome', (f): f is WelcomeFrame => f.type === 'welcome');
      expect(welcome.tables.find((table) => table.name === name)).toMatchObject({ key: [], columns: [], countBy: null });
      probe.send({ type: 'subscribe', id: 'empty', table: name });
      // A table subscription on orders, sent after it, is answered: the empty table's is not, and says nothing.
      probe.send({ type: 'subscribe', id: 'orders', table: 'orders', filter: { customer_name: { eq: `${tag}-nobody` } } });
      await probe.next(
        'the orders snapshot',
        (f): f is Extract<typeof f, { type: 'snapshot' }> => f.type === 'snapshot' && f.id === 'orders',
      );
      expect(probe.frames.filter((f) => 'id' in f && f.id === 'empty')).toEqual([]);
      await probe.close();
    } finally {
      writeFileSync(listFile, 'public.orders\npublic.customers\n');
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
