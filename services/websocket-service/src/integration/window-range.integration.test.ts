/**
 * A window whose filter is a range, on the real stack: a row enters the window when an insert or an
 * update puts it above the bound (as a number: "100.01" is above "100", "100.00" is not), and leaves
 * it, as `filtered`, when an update takes it back below. The rows carry a fresh tag, so the rows
 * other tests leave in the table do not matter.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WindowOp } from '@orders-live/protocol';
import { recordingClient, stackEndpoints, superuserPool, waitFor, type RecordingClient } from '@orders-live/testkit';
import { startApp, type RunningApp } from '../test-support.js';

const stack = stackEndpoints();
const tag = `range-${randomUUID().slice(0, 8)}`;
/** A commit not in the window this long after it is a failure. */
const CONVERGE_TIMEOUT_MS = 20_000;

let db: pg.Pool;
let app: RunningApp;
let recorder: RecordingClient;
/** Every diff step the window was sent, in order. */
const ops: WindowOp[] = [];

beforeAll(async () => {
  db = superuserPool(stack);
  app = await startApp(stack, { SERVER_ID: 'range-a' });
  recorder = recordingClient(app.wsUrl, {
    filter: { customer_name: { prefix: tag }, amount: { gt: '100' } },
    window: { orderBy: { column: 'amount', direction: 'desc' }, limit: 10 },
    subscriptionId: 'above-100',
  });
  recorder.client.on('window', (event) => ops.push(...(event.ops ?? [])));
  recorder.client.connect();
  await recorder.waitLive(60_000);
}, 120_000);
afterAll(async () => {
  recorder?.client.close();
  await app?.close();
  await db?.end();
});

async function insert(amount: string): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO orders (customer_name, product_name, quantity, amount) VALUES ($1, 'Pen', 1, $2) RETURNING id`,
    [`${tag}-Ada`, amount],
  );
  return Number(rows[0]!.id);
}

const shown = () => recorder.client.window?.rows.map((row) => row.id) ?? [];

describe('a window filtered by a range (amount gt "100")', () => {
  it('gets a row as an insert or an update takes it above the bound, and loses it below', async () => {
    // On the bound (not above it) and above it, one after the other: once the second is in, the first was judged.
    const onTheBound = await insert('100.00');
    const above = await insert('250.00');
    await waitFor('the row above the bound in the window', () => shown().includes(above), CONVERGE_TIMEOUT_MS);
    expect(shown()).toEqual([above]);
    expect(recorder.client.window?.total).toBe(1);

    await db.query('UPDATE orders SET amount = 100.01 WHERE id = $1', [onTheBound]);
    await waitFor('the row updated above the bound in the window', () => shown().includes(onTheBound), CONVERGE_TIMEOUT_MS);
    expect(shown()).toEqual([above, onTheBound]);
    expect(ops).toContainEqual(
      expect.objectContaining({ op: 'enter', index: 1, row: expect.objectContaining({ id: onTheBound, amount: '100.01' }) }),
    );

    await db.query('UPDATE orders SET amount = 99.99 WHERE id = $1', [onTheBound]);
    await waitFor('the row updated below the bound out of the window', () => !shown().includes(onTheBound), CONVERGE_TIMEOUT_MS);
    expect(ops).toContainEqual(expect.objectContaining({ op: 'leave', key: { id: onTheBound }, reason: 'filtered' }));

    const inserted = await insert('100.5');
    await waitFor('the row inserted above the bound in the window', () => shown().includes(inserted), CONVERGE_TIMEOUT_MS);
    expect(shown()).toEqual([above, inserted]);
    expect(recorder.client.window?.total).toBe(2);
    expect(recorder.client.stats.invalidFrames).toBe(0);
  }, 120_000);
});
