// Over 300 lines: one property run and the reference queries it is checked against.
/**
 * Live windows on the real stack, with the typed client: a property run of random inserts, updates,
 * deletes and multi-row transactions; after each commit every client's window (rows, offset, total,
 * counts) equals the same query run by Postgres — for several sorts, filters (ranges among them) and page positions —
 * while clients move to the other replica and resume.
 *
 * Every window is narrowed to this run's rows (customer_name prefix = a fresh tag), so the rows
 * other tests leave in the table do not matter. Text is compared in code-unit order on both sides
 * (COLLATE "C" in SQL; the names here are ASCII, where the two agree).
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_STATUSES, type OrderRow, type RowFilter, type WindowQuery } from '@orders-live/protocol';
import {
  recordingClient,
  rowDifferences,
  seededRandom,
  stackEndpoints,
  superuserPool,
  waitFor,
  type RecordingClient,
} from '@orders-live/testkit';
import { startApp, type RunningApp } from '../test-support.js';

const stack = stackEndpoints();
const tag = `win-${randomUUID().slice(0, 8)}`;
/** Steps of the run: each a transaction of 1–4 statements, then a check of every window. */
const STEPS = 60;
/** A window that is still not equal to the database this long after a commit is wrong. */
const CONVERGE_TIMEOUT_MS = 20_000;

const WIRE_COLUMNS = `id::int8::text AS id, customer_name, product_name, status, quantity, amount::text AS amount,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at,
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at`;

interface Case {
  readonly name: string;
  readonly filter: RowFilter;
  /** The same filter in SQL, with $1 = the tag. */
  readonly where: string;
  readonly window: WindowQuery;
}

const mine = { customer_name: { prefix: tag } } as const;
const CASES: Case[] = [
  { name: 'amount desc, first page', filter: mine, where: 'true', window: { orderBy: { column: 'amount', direction: 'desc' }, limit: 5 } },
  {
    name: 'customer asc, pending or shipped, offset 3',
    filter: { ...mine, status: { in: ['pending', 'shipped'] } },
    where: `status IN ('pending', 'shipped')`,
    window: { orderBy: { column: 'customer_name', direction: 'asc' }, limit: 4, offset: 3 },
  },
  {
    name: 'amount asc after 50.00',
    filter: mine,
    where: 'true',
    window: { orderBy: { column: 'amount', direction: 'asc' }, limit: 4, after: { value: '50.00', id: 0 } },
  },
  {
    name: 'quantity desc before (5, 0), products containing "e"',
    filter: { ...mine, product_name: { contains: 'e' } },
    where: `strpos(product_name, 'e') > 0`,
    window: { orderBy: { column: 'quantity', direction: 'desc' }, limit: 3, before: { value: 5, id: 0 } },
  },
  {
    name: 'updated_at asc, offset 2',
    filter: mine,
    where: 'true',
    window: { orderBy: { column: 'updated_at', direction: 'asc' }, limit: 6, offset: 2 },
  },
  {
    name: 'amount desc, amount above 50 and quantity 3 to 7 (ranges)',
    filter: { ...mine, amount: { gt: '50' }, quantity: { gte: 3, lt: 8 } },
    where: 'amount > 50 AND quantity >= 3 AND quantity < 8',
    window: { orderBy: { column: 'amount', direction: 'desc' }, limit: 4 },
  },
  {
    name: 'status desc, delivered only',
    filter: { ...mine, status: { eq: 'delivered' } },
    where: `status = 'delivered'`,
    window: { orderBy: { column: 'status', direction: 'desc' }, limit: 10 },
  },
];

/** The table's own columns (qualified: ORDER BY would otherwise pick the text output columns of WIRE_COLUMNS). */
const SQL_COLUMN: Record<string, string> = {
  id: 'orders.id',
  customer_name: 'orders.customer_name COLLATE "C"',
  product_name: 'orders.product_name COLLATE "C"',
  status: 'orders.status COLLATE "C"',
  quantity: 'orders.quantity',
  amount: 'orders.amount',
  created_at: 'orders.created_at',
  updated_at: 'orders.updated_at',
};

/** The keyset value ($2) as the column's SQL type. */
const KEY_PARAM: Record<string, string> = {
  id: '$2::int8',
  customer_name: '$2::text COLLATE "C"',
  product_name: '$2::text COLLATE "C"',
  status: '$2::text COLLATE "C"',
  quantity: '$2::int8',
  amount: '$2::numeric',
  created_at: '$2::timestamptz',
  updated_at: '$2::timestamptz',
};

interface Expected {
  readonly rows: OrderRow[];
  readonly offset: number;
  readonly total: number;
  readonly counts: Record<string, number>;
}

function wire(row: Record<string, unknown>): OrderRow {
  return { ...(row as unknown as OrderRow), id: Number(row['id']) };
}

/** The window as Postgres computes it: filter, ORDER BY column then id (same direction), position, LIMIT. */
async function expectedWindow(db: pg.Pool, c: Case): Promise<Expected> {
  const base = `left(customer_name, length($1)) = $1 AND ${c.where}`;
  const column = SQL_COLUMN[c.window.orderBy.column]!;
  const asc = c.window.orderBy.direction === 'asc';
  const { limit } = c.window;
  const order = (ascending: boolean) => `ORDER BY ${column} ${ascending ? 'ASC' : 'DESC'}, orders.id ${ascending ? 'ASC' : 'DESC'}`;
  const keyParam = () => KEY_PARAM[c.window.orderBy.column]!;
  let rows: OrderRow[];
  let offset: number;
  const totals = await db.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM orders WHERE ${base} GROUP BY status`, [
    tag,
  ]);
  const counts = Object.fromEntries(ORDER_STATUSES.map((status) => [status, Number(totals.rows.find((r) => r.status === status)?.n ?? 0)]));
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (c.window.after || c.window.before) {
    const key = (c.window.after ?? c.window.before)!;
    // In window order: after = rows past the key; before = rows ahead of it, nearest last.
    const past = c.window.after ? asc : !asc;
    const comparison = `(${column}, orders.id) ${past ? '>' : '<'} (${keyParam()}, $3::int8)`;
    const result = await db.query(`SELECT ${WIRE_COLUMNS} FROM orders WHERE ${base} AND ${comparison} ${order(past)} LIMIT ${limit}`, [
      tag,
      key.value,
      key.id,
    ]);
    rows = result.rows.map(wire);
    if (c.window.before) rows.reverse();
    // The rank of the first row shown: after K, the rows not past K; before K, those ahead of the page.
    if (c.window.after) {
      const notPast = await db.query<{ n: string }>(`SELECT count(*) AS n FROM orders WHERE ${base} AND NOT (${comparison})`, [
        tag,
        key.value,
        key.id,
      ]);
      offset = Number(notPast.rows[0]!.n);
    } else {
      const beforeCount = await db.query<{ n: string }>(`SELECT count(*) AS n FROM orders WHERE ${base} AND ${comparison}`, [
        tag,
        key.value,
        key.id,
      ]);
      offset = Math.max(0, Number(beforeCount.rows[0]!.n) - rows.length);
    }
  } else {
    offset = c.window.offset ?? 0;
    const result = await db.query(`SELECT ${WIRE_COLUMNS} FROM orders WHERE ${base} ${order(asc)} LIMIT ${limit} OFFSET ${offset}`, [tag]);
    rows = result.rows.map(wire);
  }
  return { rows, offset, total, counts };
}

let db: pg.Pool;
let a: RunningApp;
let b: RunningApp;

beforeAll(async () => {
  db = superuserPool(stack);
  [a, b] = await Promise.all([startApp(stack, { SERVER_ID: 'win-a' }), startApp(stack, { SERVER_ID: 'win-b' })]);
}, 120_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await db?.end();
});

/** A small deterministic random source, so a failing run can be replayed from its seed. */
const random = seededRandom;

describe('live windows', () => {
  it('equal the database query after every commit, across reconnects to the other replica', async () => {
    const seed = Number(process.env['WINDOWS_SEED'] ?? Date.now() % 1_000_000);
    const rand = random(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
    const ids: number[] = [];
    const names = ['Ann', 'Bo', 'Cy', 'Dee'].map((n) => `${tag}-${n}`);
    const products = ['Pen', 'Desk', 'Lamp', 'Mug', 'Chair'];

    // A few rows to start with, so every window has something to show from the first check.
    for (let i = 0; i < 12; i++) {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO orders (customer_name, product_name, status, quantity, amount) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [pick(names), pick(products), pick(ORDER_STATUSES), 1 + Math.floor(rand() * 9), (rand() * 100).toFixed(2)],
      );
      ids.push(Number(rows[0]!.id));
    }

    const urls = [a.wsUrl, b.wsUrl];
    const clients: { c: Case; recorder: RecordingClient; replica: number }[] = [];
    CASES.forEach((c, i) => {
      for (const replica of [0, 1]) {
        const recorder = recordingClient(urls[(i + replica) % 2]!, { filter: c.filter, window: c.window, subscriptionId: `w${i}` });
        recorder.client.connect();
        clients.push({ c, recorder, replica: (i + replica) % 2 });
      }
    });
    await Promise.all(clients.map(({ recorder }) => recorder.waitLive(60_000)));

    const check = async (step: string) => {
      const expected = new Map<Case, Expected>();
      for (const c of CASES) expected.set(c, await expectedWindow(db, c));
      for (const { c, recorder } of clients) {
        const want = expected.get(c)!;
        try {
          await waitFor(
            `window "${c.name}" equal to the database`,
            () => {
              const got = recorder.client.window;
              if (!got || recorder.client.state.name !== 'live') return false;
              return (
                JSON.stringify(got.rows.map((r) => r.id)) === JSON.stringify(want.rows.map((r) => r.id)) &&
                rowDifferences(got.rows, want.rows).length === 0 &&
                got.total === want.total &&
                got.offset === want.offset &&
                JSON.stringify(got.counts) === JSON.stringify(want.counts)
              );
            },
            CONVERGE_TIMEOUT_MS,
          );
        } catch (err) {
          const got = recorder.client.window;
          const now = await expectedWindow(db, c);
          throw new Error(
            `seed ${seed}, ${step}: window "${c.name}" is ${JSON.stringify({ ids: got?.rows.map((r) => r.id), offset: got?.offset, total: got?.total, counts: got?.counts })}, ` +
              `the database says ${JSON.stringify({ ids: want.rows.map((r) => r.id), offset: want.offset, total: want.total, counts: want.counts })} ` +
              `(and now ${JSON.stringify(now.rows.map((r) => r.id))})`,
            { cause: err },
          );
        }
      }
    };

    await check('start');
    for (let step = 0; step < STEPS; step++) {
      const statements = 1 + Math.floor(rand() * 4);
      const tx = await db.connect();
      try {
        await tx.query('BEGIN');
        for (let s = 0; s < statements; s++) {
          const roll = rand();
          if (roll < 0.35 || ids.length < 4) {
            const { rows } = await tx.query<{ id: string }>(
              `INSERT INTO orders (customer_name, product_name, status, quantity, amount) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
              [pick(names), pick(products), pick(ORDER_STATUSES), 1 + Math.floor(rand() * 9), (rand() * 100).toFixed(2)],
            );
            ids.push(Number(rows[0]!.id));
          } else if (roll < 0.85) {
            const id = pick(ids);
            const column = pick(['status', 'quantity', 'amount', 'customer_name', 'product_name'] as const);
            const value =
              column === 'status'
                ? pick(ORDER_STATUSES)
                : column === 'quantity'
                  ? 1 + Math.floor(rand() * 9)
                  : column === 'amount'
                    ? (rand() * 100).toFixed(2)
                    : column === 'customer_name'
                      ? pick(names)
                      : pick(products);
            await tx.query(`UPDATE orders SET ${column} = $1 WHERE id = $2`, [value, id]);
          } else {
            const id = ids.splice(Math.floor(rand() * ids.length), 1)[0]!;
            await tx.query('DELETE FROM orders WHERE id = $1', [id]);
          }
        }
        await tx.query('COMMIT');
      } finally {
        tx.release();
      }
      // Now and then, every client of one replica drops and comes back on the other one.
      if (step % 15 === 7) {
        const from = Math.floor(step / 15) % 2;
        for (const entry of clients.filter((e) => e.replica === from)) {
          entry.recorder.client.setNetworkOnline(false);
          entry.replica = 1 - from;
          entry.recorder.target = urls[entry.replica]!;
          entry.recorder.client.setNetworkOnline(true);
        }
      }
      await check(`after step ${step} (${statements} statements)`);
    }

    for (const { recorder } of clients) {
      expect(recorder.client.stats.invalidFrames).toBe(0);
      recorder.client.close();
    }
    expect(clients.some(({ recorder }) => recorder.client.stats.reconnects > 0)).toBe(true);
  }, 300_000);
});
