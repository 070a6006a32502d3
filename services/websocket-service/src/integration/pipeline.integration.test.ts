/**
 * The path of one change on the real components: SQL through pg → Postgres WAL → Debezium on Kafka
 * Connect → Kafka → this service → a WebSocket client.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FrameClient,
  comparable,
  recordingClient,
  rowDifferences,
  selectOrders,
  stackEndpoints,
  superuserPool,
  waitFor,
} from '@orders-live/testkit';
import { startApp, type RunningApp } from '../test-support.js';

const stack = stackEndpoints();
let service: RunningApp;
let db: pg.Pool;
let wsUrl: string;

beforeAll(async () => {
  service = await startApp(stack, { SERVER_ID: 'pipeline-test' });
  wsUrl = service.wsUrl;
  db = superuserPool(stack);
});

afterAll(async () => {
  await service?.close();
  await db?.end();
});

describe('a change committed in Postgres', () => {
  it('reaches a WebSocket client as exactly insert, update, delete, in order, with exact values', async () => {
    const client = await FrameClient.connect(wsUrl);
    await client.subscribe();

    const customer = `Pipeline ${Date.now()}`;
    const inserted = await db.query<{ id: string }>(
      `INSERT INTO orders (customer_name, product_name, quantity, amount) VALUES ($1, 'Ünïcode "quoted" widget', 3, 9999999999.99) RETURNING id`,
      [customer],
    );
    const id = Number(inserted.rows[0]!.id);
    const [afterInsert] = await selectOrders(db, 'id = $1', [id]);
    await db.query(`UPDATE orders SET status = 'shipped', amount = 0.01 WHERE id = $1`, [id]);
    const [afterUpdate] = await selectOrders(db, 'id = $1', [id]);
    await db.query('DELETE FROM orders WHERE id = $1', [id]);

    const mine = () => client.changes().filter((c) => c.key.id === id);
    await waitFor('the delete to arrive', () => mine().some((c) => c.op === 'delete'));
    // Let anything that should not be there show itself: wait for a later change from another row.
    const fence = await db.query<{ id: string }>(
      `INSERT INTO orders (customer_name, product_name, quantity, amount) VALUES ('Fence', 'Post', 1, 1) RETURNING id`,
    );
    await waitFor('the fence row', () => client.changes().some((c) => c.key.id === Number(fence.rows[0]!.id)));
    await db.query('DELETE FROM orders WHERE id = $1', [fence.rows[0]!.id]);

    const changes = mine();
    expect(changes.map((c) => c.op)).toEqual(['insert', 'update', 'delete']);
    const [insert, update, remove] = changes as [(typeof changes)[0], (typeof changes)[0], (typeof changes)[0]];

    expect(comparable(insert.row)).toEqual(comparable(afterInsert!));
    expect(insert.row).toMatchObject({ amount: '9999999999.99', product_name: 'Ünïcode "quoted" widget', status: 'pending', quantity: 3 });
    expect(insert.oldRow).toBeNull();

    expect(comparable(update.row)).toEqual(comparable(afterUpdate!));
    expect(comparable(update.oldRow)).toEqual(comparable(afterInsert!));
    expect(update.row?.amount).toBe('0.01');
    expect(update.changed).toEqual(['status', 'amount', 'updated_at']);

    expect(remove.row).toBeNull();
    expect(comparable(remove.oldRow)).toEqual(comparable(afterUpdate!));

    // Cursors strictly increase and commit times are Postgres' (not in the future, not ancient).
    expect(BigInt(insert.cursor.split(':')[1]!)).toBeLessThan(BigInt(update.cursor.split(':')[1]!));
    expect(BigInt(update.cursor.split(':')[1]!)).toBeLessThan(BigInt(remove.cursor.split(':')[1]!));
    for (const change of changes) {
      expect(change.commitTime).toBeGreaterThan(Date.now() - 60_000);
      expect(change.commitTime).toBeLessThanOrEqual(Date.now());
    }
    expect(client.invalid).toEqual([]);
    await client.close();
  });

  it('leaves a subscriber with a view equal to the database (snapshot, then changes)', async () => {
    const recorder = recordingClient(wsUrl);
    recorder.client.connect();
    await recorder.waitLive();
    // A fence: once the client has it, it has every commit before it (they arrive in commit order).
    const fence = await db.query<{ id: string }>(
      `INSERT INTO orders (customer_name, product_name, quantity, amount) VALUES ('Fence', 'Post', 1, 1) RETURNING id`,
    );
    const fenceId = Number(fence.rows[0]!.id);
    await waitFor('the fence at the client', () => recorder.client.get(fenceId));
    expect(rowDifferences(recorder.client.rows(), await selectOrders(db))).toEqual([]);
    await db.query('DELETE FROM orders WHERE id = $1', [fenceId]);
    await waitFor('the fence deleted at the client', () => !recorder.client.get(fenceId));
    recorder.client.close();
  });

  it('answers a bad client frame with an error frame and keeps the connection', async () => {
    const client = await FrameClient.connect(wsUrl);
    client.sendRaw('{not json');
    client.send({ type: 'subscribe', id: 'x', table: 'customers' });
    await waitFor('two error frames', () => client.frames.filter((f) => f.type === 'error').length === 2);
    expect(client.frames.filter((f) => f.type === 'error').map((f) => (f as { code: string }).code)).toEqual([
      'E_BAD_JSON',
      'E_UNKNOWN_TABLE',
    ]);
    const snapshot = await client.subscribe();
    expect(snapshot.rows.length).toBeGreaterThan(0);
    await client.close();
  });
});
