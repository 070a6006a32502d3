/**
 * Protocol v3 on the real stack: the version is chosen at the upgrade (a v1, v2 or unversioned client
 * is refused with a stable code, never sent frames it would misread: v3's welcome lists tables, its
 * rows are identified by their table's key), and the changes of one Postgres
 * transaction reach a client in one frame, with its txId and commit time, each change with its LSN.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES, ERROR_CODES, PROTOCOL_SUBPROTOCOL, formatLsn, parseLsn } from '@orders-live/protocol';
import { FrameClient, stackEndpoints, superuserPool, waitFor } from '@orders-live/testkit';
import { startApp, type RunningApp } from '../test-support.js';

const stack = stackEndpoints();
let db: pg.Pool;
let service: RunningApp;

beforeAll(async () => {
  db = superuserPool(stack);
  service = await startApp(stack);
}, 120_000);
afterAll(async () => {
  await service?.close();
  await db?.end();
});

describe('the protocol version', () => {
  it.each([
    ['an unversioned client', null, []],
    ['a client asking for v1', 'orders-live.v1', []],
    ['a client of orders asking for v2', 'orders-live.v2', []],
    ['a client sending only its token', null, ['bearer', 'not-checked-when-access-control-is-off']],
  ])('refuses %s with E_UNSUPPORTED_PROTOCOL and close code 4002', async (_name, version, protocols) => {
    const client = await FrameClient.connect(service.wsUrl, { version, protocols });
    await waitFor('the close', () => client.closed !== undefined);
    expect(client.frames).toEqual([expect.objectContaining({ type: 'error', code: ERROR_CODES.UNSUPPORTED_PROTOCOL })]);
    expect(client.closed?.code).toBe(CLOSE_CODES.UNSUPPORTED_PROTOCOL);
  });

  it('selects orders-live.v3 when asked for it', async () => {
    const client = await FrameClient.connect(service.wsUrl);
    expect(client.socket.protocol).toBe(PROTOCOL_SUBPROTOCOL);
    await client.next('welcome', (f): f is Extract<typeof f, { type: 'welcome' }> => f.type === 'welcome' && f.protocol === 3);
    await client.close();
  });
});

describe('a transaction', () => {
  // A frame never mixes transactions, and a transaction arrives whole, in commit order, with its
  // txId (docs/protocol.md; since the service reads Debezium's END markers, in exactly one frame:
  // whole-transactions.integration.test.ts checks that at sizes up to 20,000 rows).
  it('arrives whole in consecutive frames of its own, with its txId and commit time, its changes in commit order', async () => {
    const tag = `tx-${randomUUID().slice(0, 8)}`;
    const client = await FrameClient.connect(service.wsUrl);
    await client.subscribe();
    const tx = await db.connect();
    let ids: number[];
    let txId: number;
    // Where Postgres will insert the next WAL record, before the transaction and after its commit.
    const walInsertLsn = async () =>
      parseLsn((await db.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0]!.lsn)!;
    const walBefore = await walInsertLsn();
    try {
      await tx.query('BEGIN');
      const inserted = await tx.query<{ id: string }>(
        `INSERT INTO orders (customer_name, product_name, quantity, amount) SELECT $1, 'Tx probe', n, 1 FROM generate_series(1, 5) AS n RETURNING id`,
        [tag],
      );
      ids = inserted.rows.map((r) => Number(r.id));
      await tx.query(`UPDATE orders SET status = 'shipped' WHERE id = $1`, [ids[0]]);
      await tx.query(`DELETE FROM orders WHERE id = $1`, [ids[4]]);
      txId = Number((await tx.query<{ txid: string }>('SELECT txid_current() AS txid')).rows[0]!.txid);
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
    const walAfter = await walInsertLsn();
    await waitFor('the transaction', () => client.changes().some((c) => c.key.id === ids[4] && c.op === 'delete'));
    const all = client.transactions();
    const mine = all.flatMap((frame, index) => (frame.changes.some((c) => ids.includes(c.key['id'] as number)) ? [index] : []));
    // Consecutive, and nothing of another transaction in them.
    expect(mine).toEqual(Array.from({ length: mine.length }, (_, i) => mine[0]! + i));
    const frames = mine.map((index) => all[index]!);
    for (const frame of frames) {
      expect(frame.txId).toBe(txId);
      expect(frame.changes.every((c) => ids.includes(c.key['id'] as number))).toBe(true);
      expect(frame.cursor).toBe(frame.changes.at(-1)!.cursor);
      expect(Math.abs(frame.commitTime - Date.now())).toBeLessThan(60_000);
    }
    expect(frames.flatMap((frame) => frame.changes.map((c) => [c.op, c.key.id]))).toEqual([
      ...ids.map((id) => ['insert', id]),
      ['update', ids[0]],
      ['delete', ids[4]],
    ]);
    // Each change carries the WAL position Postgres wrote it at: inside the transaction's stretch of
    // WAL, growing in commit order, and read back by Postgres itself as the pg_lsn formatLsn prints.
    const lsns = frames.flatMap((frame) => frame.changes.map((c) => c.lsn!));
    expect(lsns).toHaveLength(7);
    expect(lsns[0]).toBeGreaterThanOrEqual(walBefore);
    expect(lsns.at(-1)).toBeLessThan(walAfter);
    for (let i = 1; i < lsns.length; i++) expect(lsns[i]).toBeGreaterThan(lsns[i - 1]!);
    const asPostgres = await db.query<{ lsn: string }>(
      `SELECT (text::pg_lsn - '0/0'::pg_lsn)::text AS lsn FROM unnest($1::text[]) WITH ORDINALITY AS t(text, n) ORDER BY n`,
      [lsns.map(formatLsn)],
    );
    expect(asPostgres.rows.map((r) => Number(r.lsn))).toEqual(lsns);
    expect(client.invalid).toEqual([]);
    await client.close();
  });
});
