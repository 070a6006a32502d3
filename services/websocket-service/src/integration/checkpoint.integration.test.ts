/**
 * A replica restarting from its checkpoint (CHECKPOINT_DIR), on the real stack:
 *   - stopped gracefully, it writes a checkpoint; rows written while it is down (inserts, updates, a
 *     delete) are read after it on the next start, which says it started from the checkpoint and
 *     whose view equals the database;
 *   - a client resuming from a cursor taken before the restart gets the exact missing changes or a
 *     reset, never a gap or a duplicate: a cursor at the checkpoint replays what came after it, an
 *     older one (the ring holds nothing before the checkpoint) is reset;
 *   - a checkpoint of another topic, or an altered file, is discarded and the replica reads the topic.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '@orders-live/protocol';
import {
  FrameClient,
  recordingClient,
  restartablePort,
  rowDifferences,
  selectOrders,
  stackEndpoints,
  startServiceProcess,
  superuserPool,
  waitFor,
  type ServiceProcess,
} from '@orders-live/testkit';
import { CHECKPOINT_FILE, type CheckpointStatus } from '../table/checkpoint-store.js';
import { decodeCheckpoint, encodeCheckpoint } from '../table/checkpoint.js';

const stack = stackEndpoints();
/** The restarted replica holds a resume until it has read what came after its checkpoint. */
const HOLD_TIMEOUT_MS = 60_000;
let db: pg.Pool;
let dir: string;
let service: ServiceProcess | undefined;
let port: number;

beforeAll(async () => {
  db = superuserPool(stack);
  dir = mkdtempSync(join(tmpdir(), 'orders-live-checkpoint-'));
  port = await restartablePort();
});
afterAll(async () => {
  await service?.stop();
  await db?.end();
  rmSync(dir, { recursive: true, force: true });
});

const start = async (serverId: string) =>
  startServiceProcess(stack, {
    port,
    env: { SERVER_ID: serverId, CHECKPOINT_DIR: dir, RESUME_HOLD_TIMEOUT_MS: String(HOLD_TIMEOUT_MS) },
  });

async function readyz(url: string): Promise<{ cursor: string; rows: number; checkpoint: CheckpointStatus }> {
  const response = await fetch(`${url}/readyz`);
  return (await response.json()) as { cursor: string; rows: number; checkpoint: CheckpointStatus };
}

async function insertRows(tag: string, count: number): Promise<number[]> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO orders (customer_name, product_name, quantity, amount) SELECT $1, 'Checkpoint probe', 1, 5 FROM generate_series(1, $2::int) RETURNING id`,
    [tag, count],
  );
  return rows.map((r) => Number(r.id));
}

const bump = (tag: string) => db.query(`UPDATE orders SET quantity = quantity + 1 WHERE customer_name = $1`, [tag]);

/** The whole view as a fresh subscriber gets it. */
async function snapshotRows(url: string) {
  const client = await FrameClient.connect(url);
  try {
    return (await client.subscribe()).rows;
  } finally {
    await client.close();
  }
}

describe('a replica restarting from its checkpoint', () => {
  it('reads only what came after it, equals the database, and resumes clients exactly or resets them', async () => {
    const tag = `Checkpoint ${randomUUID()}`;
    const ids = await insertRows(tag, 4);
    service = await start('before-stop');
    expect((await readyz(service.httpUrl)).checkpoint.startedFrom).toMatch(/topic|checkpoint/);
    const recorder = recordingClient(service.wsUrl);
    recorder.client.connect();
    await recorder.waitLive();
    await waitFor('the rows at the client', () => ids.every((id) => recorder.client.get(id)));
    const earlyCursor = recorder.client.cursor!;
    await bump(tag);
    await waitFor('the first round at the client', () => ids.every((id) => recorder.client.get(id)?.quantity === 2));

    await service.stop();
    service = undefined;
    const written = decodeCheckpoint(readFileSync(join(dir, CHECKPOINT_FILE)));
    if (!written.ok) throw new Error(`the checkpoint does not decode: ${written.reason}`);
    const checkpointCursor = `${written.state.position.partition}:${written.state.position.offset}`;
    expect(written.state.rows.filter((row) => ids.includes(row['id'] as number)).map((row) => row['quantity'])).toEqual([2, 2, 2, 2]);

    // While it is down: updates, inserts and a delete.
    for (let round = 0; round < 3; round++) await bump(tag);
    const later = await insertRows(tag, 2);
    await db.query(`DELETE FROM orders WHERE id = $1`, [ids[0]]);

    service = await start('after-stop');
    const ready = await readyz(service.httpUrl);
    expect(ready.checkpoint.startedFrom).toBe('checkpoint');
    expect(ready.checkpoint.discarded).toBeNull();
    expect(ready.checkpoint.loaded?.cursor).toBe(checkpointCursor);
    expect(rowDifferences(await snapshotRows(service.wsUrl), await selectOrders(db))).toEqual([]);

    // The client that was connected resumes on the restarted replica: exact changes, or a reset.
    await waitFor(
      'the changes made while the replica was down at the client',
      () =>
        ids.slice(1).every((id) => recorder.client.get(id)?.quantity === 5) &&
        !recorder.client.get(ids[0]!) &&
        later.every((id) => recorder.client.get(id)),
      HOLD_TIMEOUT_MS,
    );
    expect(recorder.client.server).toBe('after-stop');
    if (recorder.client.stats.resets === 0) {
      const sequences = new Map<number, number[]>(ids.map((id) => [id, []]));
      for (const change of recorder.applied)
        if (change.op === 'update' && sequences.has(change.id as number))
          sequences.get(change.id as number)!.push(Number(change.row!['quantity']));
      for (const id of ids) expect(sequences.get(id)).toEqual([2, 3, 4, 5]);
    }
    expect(recorder.outOfOrder()).toEqual([]);
    expect(rowDifferences(recorder.client.rows(), await selectOrders(db))).toEqual([]);
    recorder.client.close();

    // A cursor at the checkpoint is replayed from the ring: exactly the changes made while down, once each.
    const exact = await FrameClient.connect(service.wsUrl);
    exact.send({ type: 'subscribe', id: 'exact', table: 'orders', cursor: checkpointCursor });
    await exact.next('resumed', (f): f is Extract<ServerFrame, { type: 'resumed' }> => f.type === 'resumed');
    await waitFor('the replayed changes', () => exact.changes().some((c) => c.op === 'delete' && c.key.id === ids[0]));
    expect(exact.frames.find((f) => f.type === 'reset')).toBeUndefined();
    const mine = exact.changes().filter((c) => ids.includes(c.key['id'] as number) || later.includes(c.key['id'] as number));
    for (const id of ids)
      expect(mine.filter((c) => c.op === 'update' && c.key.id === id).map((c) => c.row!['quantity'])).toEqual([3, 4, 5]);
    expect(mine.filter((c) => c.op === 'insert').map((c) => c.key.id)).toEqual(later);
    expect(mine.filter((c) => c.op === 'delete').map((c) => c.key.id)).toEqual([ids[0]]);
    await exact.close();

    // A cursor from before the checkpoint: this replica's ring holds nothing before it, so a reset + snapshot.
    const old = await FrameClient.connect(service.wsUrl);
    old.send({ type: 'subscribe', id: 'old', table: 'orders', cursor: earlyCursor });
    await old.next('the last snapshot chunk', (f): f is Extract<ServerFrame, { type: 'snapshot' }> => f.type === 'snapshot' && f.done);
    expect(old.frames.find((f) => f.type === 'reset')).toEqual({ type: 'reset', id: 'old', cursor: earlyCursor, reason: 'cursor-too-old' });
    expect(
      rowDifferences(
        old.frames.flatMap((f) => (f.type === 'snapshot' ? f.rows : [])),
        await selectOrders(db),
      ),
    ).toEqual([]);
    await old.close();

    await service.stop();
    service = undefined;
    await db.query(`DELETE FROM orders WHERE customer_name = $1`, [tag]);
  }, 180_000);

  it('discards a checkpoint of another topic, or an altered file, and reads the topic instead', async () => {
    const file = join(dir, CHECKPOINT_FILE);
    const decoded = decodeCheckpoint(readFileSync(file));
    if (!decoded.ok) throw new Error(`the checkpoint does not decode: ${decoded.reason}`);
    const tag = `Checkpoint discarded ${randomUUID()}`;
    await insertRows(tag, 2);

    writeFileSync(file, Buffer.concat([...encodeCheckpoint({ ...decoded.state, topic: 'elsewhere.public.orders' })]));
    service = await start('other-topic');
    const otherTopic = await readyz(service.httpUrl);
    expect(otherTopic.checkpoint.startedFrom).toBe('topic');
    expect(otherTopic.checkpoint.discarded).toMatchObject({ code: 'CHECKPOINT_MISMATCH', reason: expect.stringContaining('elsewhere') });
    expect(rowDifferences(await snapshotRows(service.wsUrl), await selectOrders(db))).toEqual([]);
    await service.stop();

    const bytes = readFileSync(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0xff;
    writeFileSync(file, bytes);
    service = await start('tampered');
    const tampered = await readyz(service.httpUrl);
    expect(tampered.checkpoint.startedFrom).toBe('topic');
    expect(tampered.checkpoint.discarded).toMatchObject({ code: 'CHECKPOINT_INVALID' });
    expect(rowDifferences(await snapshotRows(service.wsUrl), await selectOrders(db))).toEqual([]);
    await service.stop();
    service = undefined;
    await db.query(`DELETE FROM orders WHERE customer_name = $1`, [tag]);
  }, 120_000);
});
