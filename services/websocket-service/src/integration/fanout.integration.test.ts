/**
 * The websocket-service's guarantees that need no restart, on the real stack: filtered views
 * (enter / leave), a slow client closed at its bound while another is unaffected, garbage records
 * in the topic counted and skipped, and per-connection limits.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES, ERROR_CODES, type ServerFrame } from '@orders-live/protocol';
import { FrameClient, metricValue, stackEndpoints, superuserPool, waitFor } from '@orders-live/testkit';
import { startApp, type RunningApp } from '../test-support.js';

const stack = stackEndpoints();
/** Small enough that a client which stops reading passes it within a few thousand changes. */
const TEST_MAX_BUFFERED_BYTES = 256 * 1024;
let service: RunningApp;
let db: pg.Pool;

beforeAll(async () => {
  service = await startApp(stack, {
    SERVER_ID: 'fanout-test',
    MAX_BUFFERED_BYTES: String(TEST_MAX_BUFFERED_BYTES),
    MAX_SUBSCRIPTIONS_PER_CONNECTION: '4',
  });
  db = superuserPool(stack);
});

afterAll(async () => {
  await service?.close();
  await db?.end();
});

async function insertOrder(customer: string, status: string): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO orders (customer_name, product_name, status, quantity, amount) VALUES ($1, 'Filter probe', $2, 1, 10) RETURNING id`,
    [customer, status],
  );
  return Number(rows[0]!.id);
}

describe('a filtered subscription', () => {
  it('sees rows enter and leave its view, and the delete of a row in it', async () => {
    const customer = `Filter ${randomUUID()}`;
    const client = await FrameClient.connect(service.wsUrl);
    const from = client.frames.length;
    client.send({
      type: 'subscribe',
      id: 'mine',
      table: 'orders',
      filter: { customer_name: { eq: customer }, status: { in: ['pending'] } },
    });
    await client.next('the snapshot', (f): f is Extract<ServerFrame, { type: 'snapshot' }> => f.type === 'snapshot' && f.done, from);
    expect(client.frames.filter((f) => f.type === 'snapshot').flatMap((f) => (f as { rows: unknown[] }).rows)).toEqual([]);

    const a = await insertOrder(customer, 'pending'); // insert (matches)
    const b = await insertOrder(customer, 'shipped'); // nothing
    await db.query(`UPDATE orders SET quantity = 2 WHERE id = $1`, [a]); // update
    await db.query(`UPDATE orders SET status = 'shipped' WHERE id = $1`, [a]); // leave
    await db.query(`UPDATE orders SET status = 'delivered' WHERE id = $1`, [b]); // nothing
    await db.query(`UPDATE orders SET status = 'pending' WHERE id = $1`, [b]); // enter
    await db.query(`UPDATE orders SET status = 'pending' WHERE id = $1`, [a]); // enter
    await db.query(`DELETE FROM orders WHERE id = $1`, [a]); // delete
    await db.query(`UPDATE orders SET status = 'shipped' WHERE id = $1`, [b]); // leave
    await db.query(`DELETE FROM orders WHERE id = $1`, [b]); // nothing
    const fence = await insertOrder(customer, 'pending'); // insert: everything before it has arrived

    await waitFor('the fence row', () => client.changes().some((c) => c.key.id === fence));
    expect(client.changes().map((c) => [c.key.id, c.op])).toEqual([
      [a, 'insert'],
      [a, 'update'],
      [a, 'leave'],
      [b, 'enter'],
      [a, 'enter'],
      [a, 'delete'],
      [b, 'leave'],
      [fence, 'insert'],
    ]);
    const leave = client.changes().find((c) => c.op === 'leave')!;
    expect(leave.row?.status).toBe('shipped');
    expect(leave.oldRow?.status).toBe('pending');
    await db.query(`DELETE FROM orders WHERE id = $1`, [fence]);
    await client.close();
  });

  it('rejects a bad filter with a code', async () => {
    const client = await FrameClient.connect(service.wsUrl);
    // A value not of the column's kind, a column the table does not have, a cursor not ours.
    client.send({ type: 'subscribe', id: 'x', table: 'orders', filter: { status: { eq: 5 } } });
    client.send({ type: 'subscribe', id: 'y', table: 'orders', filter: { colour: { eq: 'red' } } });
    client.send({ type: 'subscribe', id: 'z', table: 'orders', cursor: 'yesterday' });
    await waitFor('three errors', () => client.frames.filter((f) => f.type === 'error').length === 3);
    expect(client.frames.filter((f) => f.type === 'error').map((f) => (f as { code: string }).code)).toEqual([
      ERROR_CODES.BAD_FILTER,
      ERROR_CODES.UNKNOWN_COLUMN,
      ERROR_CODES.BAD_CURSOR,
    ]);
    await client.close();
  });
});

describe('per-connection limits', () => {
  it('refuses subscriptions past the limit and closes on an oversized frame', async () => {
    const client = await FrameClient.connect(service.wsUrl);
    for (let i = 0; i < 5; i++) client.send({ type: 'subscribe', id: `s${i}`, table: 'orders', filter: { id: { eq: 1 } } });
    await waitFor('the refusal', () => client.frames.some((f) => f.type === 'error'));
    expect(client.frames.filter((f) => f.type === 'error')).toEqual([
      expect.objectContaining({ code: ERROR_CODES.TOO_MANY_SUBSCRIPTIONS, id: 's4' }),
    ]);
    client.sendRaw('x'.repeat(20_000));
    await waitFor('the close', () => client.closed);
    expect(client.closed?.code).toBe(CLOSE_CODES.TOO_BIG);
    expect((await fetch(`${service.httpUrl}/readyz`)).ok).toBe(true);
  });
});

describe('a client that stops reading', () => {
  it('is closed with the slow-consumer code at its bound while another client gets every change', async () => {
    const tag = `Slow ${randomUUID()}`;
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO orders (customer_name, product_name, quantity, amount)
       SELECT $1, repeat('x', 180), 1, 1 FROM generate_series(1, 500) RETURNING id`,
      [tag],
    );
    const ids = new Set(rows.map((r) => Number(r.id)));
    const reader = await FrameClient.connect(service.wsUrl);
    const sleeper = await FrameClient.connect(service.wsUrl);
    await reader.subscribe();
    await sleeper.subscribe();
    const sleeperTcp = (sleeper.socket as unknown as { _socket: Socket })._socket;
    sleeperTcp.pause();
    const closesBefore = await metricValue(service.httpUrl, 'orders_ws_slow_consumer_closes_total');

    // 500 rows × 40 updates ≈ 20,000 changes of ~1 kB: far past the kernel's socket buffers and the bound.
    const rounds = 40;
    for (let round = 0; round < rounds; round++) {
      await db.query(`UPDATE orders SET quantity = quantity + 1 WHERE customer_name = $1`, [tag]);
    }
    const last = () => reader.changes().filter((c) => ids.has(c.key['id'] as number) && c.row?.['quantity'] === rounds + 1).length;
    await waitFor('every last update at the reading client', () => last() === ids.size, 120_000);
    await waitFor(
      'the slow consumer to be closed',
      async () => (await metricValue(service.httpUrl, 'orders_ws_slow_consumer_closes_total')) > closesBefore,
    );

    // The reading client got all 20,000 updates, once each, in order per row. (The inserts may
    // come as changes too, if the service had not applied them when the client subscribed.)
    const seen = reader.changes().filter((c) => ids.has(c.key['id'] as number) && c.op === 'update');
    expect(seen).toHaveLength(ids.size * rounds);
    const quantities = new Map<number, number[]>();
    for (const change of seen)
      quantities.set(change.key['id'] as number, [
        ...(quantities.get(change.key['id'] as number) ?? []),
        change.row!['quantity'] as number,
      ]);
    for (const q of quantities.values()) expect(q).toEqual(Array.from({ length: rounds }, (_, i) => i + 2));

    // Once the sleeper reads again it finds the documented close code.
    sleeperTcp.resume();
    await waitFor('the sleeper to see its close', () => sleeper.closed, 60_000);
    expect(sleeper.closed?.code).toBe(CLOSE_CODES.SLOW_CONSUMER);
    await reader.close();
    await db.query(`DELETE FROM orders WHERE customer_name = $1`, [tag]);
  }, 180_000);
});

describe('garbage in the topic', () => {
  it('is counted, reported as a gap, and the stream goes on', async () => {
    const kafka = new Kafka({ clientId: 'garbage-test', brokers: [...stack.kafkaBrokers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const client = await FrameClient.connect(service.wsUrl);
    await client.subscribe();
    const errorsBefore = await metricValue(service.httpUrl, 'orders_decode_errors_total');
    // Keys are never a real row's key: in a compacted topic, a record under {"id":1} would replace row 1.
    await producer.send({
      topic: stack.topic,
      messages: [
        { key: `garbage-${randomUUID()}`, value: 'not json at all' },
        { key: JSON.stringify({ id: 'nope' }), value: JSON.stringify({ before: null, after: null, op: 'c' }) },
        { key: `garbage-${randomUUID()}`, value: JSON.stringify({ hello: 'world' }) },
      ],
    });
    await producer.disconnect();
    const id = await insertOrder(`After garbage ${randomUUID()}`, 'pending');
    await waitFor('the row after the garbage', () => client.changes().some((c) => c.key.id === id));
    expect(await metricValue(service.httpUrl, 'orders_decode_errors_total')).toBe(errorsBefore + 3);
    const readyz = await fetch(`${service.httpUrl}/readyz`);
    // Still serving, and saying so: these keys name no row, so their gaps stay open (degraded-state.ts).
    expect(readyz.ok).toBe(true);
    expect(((await readyz.json()) as { degraded: { code: string } | null }).degraded?.code).toBe('STREAM_GAP');
    await db.query('DELETE FROM orders WHERE id = $1', [id]);
    await client.close();
  });
});
