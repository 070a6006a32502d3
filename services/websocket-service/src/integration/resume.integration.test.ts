/**
 * Resume anywhere, on the real stack, with the typed client the page uses:
 *   - a client moves from replica A to replica B while changes are committed and gets exactly the
 *     changes it missed, once each, in order;
 *   - the service is killed with SIGKILL while changes are committed; after restart the client
 *     resumes with nothing lost or repeated;
 *   - a cursor older than the ring gets `reset` and a snapshot equal to the database.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '@orders-live/protocol';
import {
  FrameClient,
  rowDifferences,
  recordingClient,
  restartablePort,
  selectOrders,
  stackEndpoints,
  startServiceProcess,
  superuserPool,
  waitFor,
  type ServiceProcess,
} from '@orders-live/testkit';
import { startApp, type RunningApp } from '../test-support.js';

const stack = stackEndpoints();
/**
 * How long the replica restarted after the kill holds the client's resume: it accepts the client as
 * soon as it listens, then replays the whole shared topic, and the default 30 s would turn a slow
 * replay into a reset. As long as the test waits for the replica to be ready (the test kit's 60 s).
 */
const RESTARTED_HOLD_TIMEOUT_MS = 60_000;
let db: pg.Pool;

beforeAll(() => {
  db = superuserPool(stack);
});
afterAll(async () => {
  await db?.end();
});

async function insertRows(tag: string, count: number): Promise<number[]> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO orders (customer_name, product_name, quantity, amount) SELECT $1, 'Resume probe', 1, 5 FROM generate_series(1, $2::int) RETURNING id`,
    [tag, count],
  );
  return rows.map((r) => Number(r.id));
}

/** One update per row per round; quantity counts the rounds, so gaps and repeats are visible. */
async function bump(tag: string): Promise<void> {
  await db.query(`UPDATE orders SET quantity = quantity + 1 WHERE customer_name = $1`, [tag]);
}

/** For each row, the quantities the client applied, in order: must be 2, 3, … with no gap or repeat. */
function quantitySequences(
  applied: readonly { id: number | string; op: string; row: { readonly [column: string]: unknown } | undefined }[],
  ids: number[],
): Map<number, number[]> {
  const sequences = new Map<number, number[]>(ids.map((id) => [id, []]));
  for (const change of applied) {
    if (change.op === 'update' && typeof change.id === 'number' && sequences.has(change.id))
      sequences.get(change.id)!.push(Number(change.row!['quantity']));
  }
  return sequences;
}

describe('a client moving between replicas', () => {
  let a: RunningApp;
  let b: RunningApp;
  beforeAll(async () => {
    [a, b] = await Promise.all([startApp(stack, { SERVER_ID: 'replica-a' }), startApp(stack, { SERVER_ID: 'replica-b' })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('resumes on the other replica with exactly the changes it missed, once each, in order', async () => {
    const tag = `Replicas ${randomUUID()}`;
    const ids = await insertRows(tag, 5);
    const recorder = recordingClient(a.wsUrl);
    recorder.client.connect();
    await recorder.waitLive();
    await waitFor('the inserted rows at the client', () => ids.every((id) => recorder.client.get(id)));

    for (let round = 0; round < 3; round++) await bump(tag);
    await waitFor('three rounds on replica A', () => ids.every((id) => recorder.client.get(id)?.quantity === 4));
    expect(recorder.client.server).toBe('replica-a');

    recorder.client.setNetworkOnline(false);
    for (let round = 0; round < 4; round++) await bump(tag);
    await db.query(`DELETE FROM orders WHERE id = $1`, [ids[0]]);
    recorder.target = b.wsUrl;
    recorder.client.setNetworkOnline(true);

    await waitFor(
      'the missed changes from replica B',
      () => ids.slice(1).every((id) => recorder.client.get(id)?.quantity === 8) && !recorder.client.get(ids[0]!),
    );
    expect(recorder.client.server).toBe('replica-b');
    expect(recorder.client.stats).toMatchObject({ resumes: 1, resets: 0 });
    const sequences = quantitySequences(recorder.applied, ids);
    expect(sequences.get(ids[0]!)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    for (const id of ids.slice(1)) expect(sequences.get(id)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(recorder.applied.filter((c) => c.op === 'delete').map((c) => c.id)).toEqual([ids[0]]);
    expect(recorder.outOfOrder()).toEqual([]);

    // And the view equals the database.
    expect(rowDifferences(recorder.client.rows(), await selectOrders(db))).toEqual([]);
    recorder.client.close();
    await db.query(`DELETE FROM orders WHERE customer_name = $1`, [tag]);
  });
});

describe('the service killed with SIGKILL while changes are committed', () => {
  let service: ServiceProcess | undefined;
  afterAll(async () => {
    await service?.stop();
  });

  it('loses and repeats nothing for a resuming client; a cursor older than the ring gets reset + snapshot', async () => {
    const tag = `Kill ${randomUUID()}`;
    const ids = await insertRows(tag, 4);
    // Restarted on the same port twice, so one outside the ephemeral range (as the chaos run's
    // replicas): another socket bound to port 0 on this machine could be given it while it is down.
    const port = await restartablePort();
    service = await startServiceProcess(stack, { env: { SERVER_ID: 'before-kill' }, port });
    const recorder = recordingClient(service.wsUrl);
    recorder.client.connect();
    await recorder.waitLive();
    await waitFor('the rows at the client', () => ids.every((id) => recorder.client.get(id)));
    const earlyCursor = recorder.client.cursor!;

    const rounds = 30;
    let killed = false;
    const writer = (async () => {
      for (let round = 0; round < rounds; round++) {
        await bump(tag);
        if (round === 10) {
          await service.kill9();
          killed = true;
        }
        if (round === 20) {
          const env = { SERVER_ID: 'after-kill', RESUME_HOLD_TIMEOUT_MS: String(RESTARTED_HOLD_TIMEOUT_MS) };
          service = await startServiceProcess(stack, { env, port });
        }
      }
    })();
    await writer;
    expect(killed).toBe(true);

    await waitFor('every round at the client', () => ids.every((id) => recorder.client.get(id)?.quantity === rounds + 1), 60_000);
    expect(recorder.client.server).toBe('after-kill');
    expect(recorder.client.stats.resets).toBe(0);
    expect(recorder.client.stats.resumes).toBeGreaterThanOrEqual(1);
    for (const sequence of quantitySequences(recorder.applied, ids).values()) {
      expect(sequence).toEqual(Array.from({ length: rounds }, (_, i) => i + 2));
    }
    expect(recorder.outOfOrder()).toEqual([]);
    expect(rowDifferences(recorder.client.rows(), await selectOrders(db))).toEqual([]);
    recorder.client.close();

    // A replica that keeps only the last 5 changes cannot resume from before the 120 updates above.
    await service.kill9();
    service = await startServiceProcess(stack, { env: { SERVER_ID: 'small-ring', RING_CAPACITY: '5' }, port });
    const late = await FrameClient.connect(service.wsUrl);
    late.send({ type: 'subscribe', id: 'late', table: 'orders', cursor: earlyCursor });
    await late.next('the last snapshot chunk', (f): f is Extract<ServerFrame, { type: 'snapshot' }> => f.type === 'snapshot' && f.done);
    expect(late.frames.find((f) => f.type === 'reset')).toEqual({
      type: 'reset',
      id: 'late',
      cursor: earlyCursor,
      reason: 'cursor-too-old',
    });
    const rows = late.frames.flatMap((f) => (f.type === 'snapshot' ? f.rows : []));
    expect(rowDifferences(rows, await selectOrders(db))).toEqual([]);
    await late.close();
    await db.query(`DELETE FROM orders WHERE customer_name = $1`, [tag]);
  }, 180_000);
});
