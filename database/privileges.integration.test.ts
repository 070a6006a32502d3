/**
 * The database side of the design, checked on the real Postgres of the stack: the connector's role
 * holds only what logical replication of orders needs, and TRUNCATE (which the stream cannot carry)
 * is refused.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debeziumClient, stackEndpoints, superuserPool } from '@orders-live/testkit';

const stack = stackEndpoints();
let admin: pg.Pool;
let debezium: pg.Client;

beforeAll(async () => {
  admin = superuserPool(stack);
  debezium = debeziumClient(stack);
  await debezium.connect();
  await admin.query('CREATE TABLE IF NOT EXISTS public.privilege_probe (secret text)');
  await admin.query(`INSERT INTO public.privilege_probe VALUES ('not for debezium')`);
});

afterAll(async () => {
  await debezium?.end();
  await admin?.query('DROP TABLE IF EXISTS public.privilege_probe');
  await admin?.end();
});

describe('the debezium role', () => {
  it('is a replication login, not a superuser', async () => {
    const { rows } = await admin.query(`SELECT rolsuper, rolreplication, rolcanlogin, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = 'debezium'`);
    expect(rows).toEqual([{ rolsuper: false, rolreplication: true, rolcanlogin: true, rolcreatedb: false, rolcreaterole: false }]);
  });

  it('reads orders', async () => {
    const { rows } = await debezium.query('SELECT count(*)::int AS n FROM public.orders');
    expect(rows[0].n).toBeGreaterThanOrEqual(0);
  });

  it.each([
    [`INSERT INTO public.orders (customer_name, product_name, quantity, amount) VALUES ('x', 'y', 1, 1)`],
    [`UPDATE public.orders SET quantity = quantity WHERE false`],
    [`DELETE FROM public.orders WHERE false`],
    ['SELECT * FROM public.privilege_probe'],
    ['CREATE TABLE public.debezium_was_here (x int)'],
    ['CREATE PUBLICATION debezium_publication FOR TABLE public.orders'],
  ])('is refused: %s', async (sql) => {
    await expect(debezium.query(sql)).rejects.toThrow(/permission denied|must be owner/);
  });

  it('is the role the connector actually replicates with', async () => {
    const { rows } = await admin.query(`SELECT usename FROM pg_stat_replication WHERE application_name = 'Debezium Streaming' OR usename = 'debezium'`);
    expect(rows.map((r) => r.usename)).toContain('debezium');
  });
});

describe('the orders table', () => {
  it('refuses TRUNCATE, which the change stream could not carry', async () => {
    await expect(admin.query('TRUNCATE public.orders')).rejects.toThrow(/TRUNCATE on orders is not allowed/);
  });

  it('keeps updated_at current and enforces the status values', async () => {
    const { rows } = await admin.query(
      `INSERT INTO orders (customer_name, product_name, quantity, amount, updated_at) VALUES ('t', 'p', 1, 1, now() - interval '1 day') RETURNING id, updated_at`,
    );
    const { rows: updated } = await admin.query(`UPDATE orders SET quantity = 2 WHERE id = $1 RETURNING updated_at`, [rows[0].id]);
    expect(updated[0].updated_at.getTime()).toBeGreaterThan(rows[0].updated_at.getTime());
    await expect(admin.query(`UPDATE orders SET status = 'lost' WHERE id = $1`, [rows[0].id])).rejects.toThrow(/check constraint/);
    await admin.query('DELETE FROM orders WHERE id = $1', [rows[0].id]);
  });
});
