/**
 * `npm run events` against the real topic: a row inserted, updated and deleted after the tool
 * started "from now" shows as create, update and delete events with their source position and a
 * tombstone; a row changed before it started does not; "--from-beginning" replays what the topic holds;
 * "--table" reads another streamed table's topic (customers, keyed by a uuid).
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLsn } from '@orders-live/protocol';
import { stackEndpoints, superuserPool, waitFor } from '@orders-live/testkit';
import { insertOrders } from '@orders-live/testkit/rows';
import { parseOptions } from './args.js';
import { tailEvents, type Tail } from './tail.js';

const stack = stackEndpoints();
/** The connector publishes within a second here; the bound is for a busy shared machine. */
const EVENT_TIMEOUT_MS = 30_000;
let db: pg.Pool;
const tails: Tail[] = [];

beforeAll(() => {
  db = superuserPool(stack);
});
afterAll(async () => {
  await Promise.all(tails.map((t) => t.stop()));
  await db?.end();
});

async function tail(startAt: 'now' | 'beginning', topic = stack.topic): Promise<string[]> {
  const printed: string[] = [];
  tails.push(await tailEvents({ brokers: stack.kafkaBrokers, topic, startAt }, (text) => printed.push(text)));
  return printed;
}

describe('npm run events', () => {
  it('from now: shows the changes made after it started, readably, and none from before', async () => {
    // A change that is in the topic before the tail starts: committed, and seen by an earlier tail.
    const earlier = await tail('now');
    const before = `Events before ${Date.now()}`;
    await insertOrders(db, [{ customer_name: before, product_name: 'Old lamp', quantity: 1, amount: 1 }]);
    await waitFor('the earlier change to reach the topic', async () => earlier.some((text) => text.includes(before)), EVENT_TIMEOUT_MS);
    const printed = await tail('now');

    const customer = `Events ${Date.now()}`;
    const [row] = await insertOrders(db, [{ customer_name: customer, product_name: 'Desk lamp', quantity: 2, amount: '39.90' }]);
    const id = row!.id;
    await db.query(`UPDATE orders SET status = 'shipped' WHERE id = $1`, [id]);
    await db.query('DELETE FROM orders WHERE id = $1', [id]);

    const ofRow = () => printed.filter((text) => text.includes(`key     {"id":${id}}`));
    await waitFor('the create, update, delete and tombstone of the row', async () => ofRow().length >= 4, EVENT_TIMEOUT_MS);
    const [created, updated, deleted, tombstone] = ofRow();
    expect(created).toMatch(/^── orders\.public\.orders {2}partition 0 {2}offset \d+ {2}\d{4}-\d\d-\d\dT/);
    expect(created).toContain('   op      c  create');
    expect(created).toMatch(/ {3}source {2}lsn [0-9A-F]{1,8}\/[0-9A-F]{1,8} {2}txId \d+ {2}snapshot "false"/);
    expect(created).toContain('   before  null');
    expect(created).toContain(`"customer_name":"${customer}"`);
    expect(created).toContain('"amount":"39.90"');
    expect(updated).toContain('   op      u  update');
    expect(updated).toMatch(/before {2}\{.*"status":"pending"/);
    expect(updated).toMatch(/after {3}\{.*"status":"shipped"/);
    expect(deleted).toContain('   op      d  delete');
    expect(deleted).toContain('   after   null');
    expect(tombstone).toContain('(tombstone');
    // Offsets climb record by record.
    const offsets = [created, updated, deleted, tombstone].map((text) => Number(/offset (\d+)/.exec(text!)![1]));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    // LSNs, printed as Postgres prints them, climb with the three commits.
    const lsns = [created, updated, deleted].map((text) => parseLsn(/ lsn (\S+) /.exec(text!)![1]!)!);
    expect(lsns[0]).toBeLessThan(lsns[1]!);
    expect(lsns[1]).toBeLessThan(lsns[2]!);
    expect(printed.some((text) => text.includes(before))).toBe(false);
  });

  it('from the beginning: replays what the topic still holds, the oldest row included', async () => {
    const printed = await tail('beginning');
    await waitFor('the first records of the topic', async () => printed.length > 0, EVENT_TIMEOUT_MS);
    expect(printed[0]).toMatch(/partition 0 {2}offset \d+/);
    // The topic is the table (compacted): every row still there has its latest record in it.
    const { rows } = await db.query<{ id: string }>(`SELECT min(id)::text AS id FROM orders`);
    await waitFor(
      'a record of the oldest row',
      async () => printed.some((text) => text.includes(`key     {"id":${rows[0]!.id}}`)),
      EVENT_TIMEOUT_MS,
    );
  });

  it("--table: another streamed table's events, keyed by its own key", async () => {
    const { topic } = parseOptions(['--table', 'public.customers'], {});
    const printed = await tail('now', topic);
    const email = `events-${Date.now()}@example.com`;
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO customers (name, email, tier) VALUES ('Events probe', $1, 'pro') RETURNING id`,
      [email],
    );
    await db.query('DELETE FROM customers WHERE id = $1', [rows[0]!.id]);
    const ofRow = () => printed.filter((text) => text.includes(`key     {"id":"${rows[0]!.id}"}`));
    await waitFor('the create, delete and tombstone of the customer', async () => ofRow().length >= 3, EVENT_TIMEOUT_MS);
    expect(ofRow()[0]).toMatch(/^── orders\.public\.customers {2}partition 0/);
    expect(ofRow()[0]).toContain(`"email":"${email}"`);
    expect(ofRow()[0]).toContain('"tier":"pro"');
    expect(ofRow()[1]).toContain('   op      d  delete');
  });
});
