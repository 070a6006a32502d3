/**
 * The database side of the design, checked on the real Postgres of the stack: the connector's role
 * holds only what logical replication of orders needs, the orders API's role and the editor's role
 * (Adminer's login) only read and write rows of orders, ids are the database's and never change, and
 * TRUNCATE (which the stream cannot carry) is refused.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debeziumClient, ordersApiClient, ordersEditorClient, stackEndpoints, superuserPool, waitFor } from '@orders-live/testkit';

const stack = stackEndpoints();
let admin: pg.Pool;
let debezium: pg.Client;
let ordersApi: pg.Client;
let ordersEditor: pg.Client;

beforeAll(async () => {
  admin = superuserPool(stack);
  debezium = debeziumClient(stack);
  await debezium.connect();
  ordersApi = ordersApiClient(stack);
  await ordersApi.connect();
  ordersEditor = ordersEditorClient(stack);
  await ordersEditor.connect();
  await admin.query('CREATE TABLE IF NOT EXISTS public.privilege_probe (secret text)');
  await admin.query(`INSERT INTO public.privilege_probe VALUES ('not for debezium')`);
});

afterAll(async () => {
  await debezium?.end();
  await ordersApi?.end();
  await ordersEditor?.end();
  await admin?.query('DROP TABLE IF EXISTS public.privilege_probe');
  await admin?.end();
});

describe('the debezium role', () => {
  it('is a replication login, not a superuser', async () => {
    const { rows } = await admin.query(
      `SELECT rolsuper, rolreplication, rolcanlogin, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = 'debezium'`,
    );
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
    ['INSERT INTO public.orders_heartbeat (id, beat_at) VALUES (1, now())'],
    ['UPDATE public.orders_heartbeat SET id = 1'],
    ['DELETE FROM public.orders_heartbeat'],
  ])('is refused: %s', async (sql) => {
    await expect(debezium.query(sql)).rejects.toThrow(/permission denied|must be owner/);
  });

  it("stamps the heartbeat row (the connector's heartbeat.action.query) and nothing else of that table", async () => {
    const { rowCount } = await debezium.query('UPDATE public.orders_heartbeat SET beat_at = now() WHERE id = 1');
    expect(rowCount).toBe(1);
  });

  it('is the role the connector actually replicates with', async () => {
    // Waited for: the connector may be reconnecting its replication stream at this moment.
    const usenames = await waitFor('a replication connection of the connector', async () => {
      const { rows } = await admin.query<{ usename: string }>(
        `SELECT usename FROM pg_stat_replication WHERE application_name = 'Debezium Streaming' OR usename = 'debezium'`,
      );
      return rows.length > 0 ? rows.map((r) => r.usename) : undefined;
    });
    expect(usenames).toContain('debezium');
  });
});

describe.each([
  ['orders_api', () => ordersApi],
  ['orders_editor', () => ordersEditor],
] as const)('the %s role', (role, client) => {
  it('is a plain login: not a superuser, no replication, cannot create roles or databases, does not bypass RLS', async () => {
    const { rows } = await admin.query(
      `SELECT rolsuper, rolreplication, rolcanlogin, rolcreatedb, rolcreaterole, rolbypassrls, rolinherit FROM pg_roles WHERE rolname = $1`,
      [role],
    );
    expect(rows).toEqual([
      {
        rolsuper: false,
        rolreplication: false,
        rolcanlogin: true,
        rolcreatedb: false,
        rolcreaterole: false,
        rolbypassrls: false,
        rolinherit: true,
      },
    ]);
    // And it is a member of no other role, so it inherits nothing.
    const { rows: memberships } = await admin.query(
      `SELECT roleid::regrole::text AS role FROM pg_auth_members WHERE member = $1::regrole`,
      [role],
    );
    expect(memberships).toEqual([]);
  });

  it('holds exactly SELECT, UPDATE, DELETE on orders and INSERT on every column but id, and no privilege on any other table', async () => {
    const { rows } = await admin.query(
      `SELECT table_schema || '.' || table_name AS "table", privilege_type AS privilege FROM information_schema.role_table_grants
        WHERE grantee = $1 ORDER BY 1, 2`,
      [role],
    );
    expect(rows).toEqual(['DELETE', 'SELECT', 'UPDATE'].map((privilege) => ({ table: 'public.orders', privilege })));
    const { rows: inserts } = await admin.query(
      `SELECT column_name AS column FROM information_schema.role_column_grants
        WHERE grantee = $1 AND table_name = 'orders' AND privilege_type = 'INSERT' ORDER BY 1`,
      [role],
    );
    expect(inserts.map((r) => r.column)).toEqual([
      'amount',
      'created_at',
      'customer_name',
      'product_name',
      'quantity',
      'status',
      'updated_at',
    ]);
    const { rows: columns } = await admin.query(
      `SELECT count(*)::int AS n FROM information_schema.role_column_grants WHERE grantee = $1 AND table_name <> 'orders'`,
      [role],
    );
    expect(columns[0].n).toBe(0);
  });

  it('reads, inserts, updates and deletes rows of orders (in a transaction rolled back, so nothing reaches the stream)', async () => {
    await client().query('BEGIN');
    try {
      const { rows } = await client().query(
        `INSERT INTO public.orders (customer_name, product_name, quantity, amount) VALUES ('privilege probe', 'p', 1, 1) RETURNING id`,
      );
      await client().query(`UPDATE public.orders SET status = 'shipped' WHERE id = $1`, [rows[0].id]);
      expect((await client().query('SELECT status FROM public.orders WHERE id = $1', [rows[0].id])).rows).toEqual([{ status: 'shipped' }]);
      // What Adminer 4.8's edit form sends: every column, id included, at its current value.
      await client().query(`UPDATE public.orders SET id = $1, quantity = 2 WHERE id = $1`, [rows[0].id]);
      expect((await client().query('SELECT quantity FROM public.orders WHERE id = $1', [rows[0].id])).rows).toEqual([{ quantity: 2 }]);
      expect((await client().query('DELETE FROM public.orders WHERE id = $1', [rows[0].id])).rowCount).toBe(1);
    } finally {
      await client().query('ROLLBACK');
    }
  });

  it('cannot choose an id, nor change one', async () => {
    await expect(
      client().query(`INSERT INTO public.orders (id, customer_name, product_name, quantity, amount) VALUES (987654321, 'x', 'y', 1, 1)`),
    ).rejects.toThrow(/permission denied/);
    const { rows } = await admin.query(`SELECT min(id)::text AS id FROM public.orders`);
    await expect(client().query(`UPDATE public.orders SET id = id + 1000000 WHERE id = $1`, [rows[0].id])).rejects.toThrow(
      /the id of an order cannot change/,
    );
  });

  it.each([
    ['TRUNCATE public.orders'],
    ['SELECT * FROM public.privilege_probe'],
    [`INSERT INTO public.privilege_probe VALUES ('from the api')`],
    [`SELECT nextval('public.orders_id_seq')`],
    ['CREATE TABLE public.orders_api_was_here (x int)'],
    ['CREATE TEMPORARY TABLE orders_api_temp (x int)'],
    ['CREATE SCHEMA orders_api_schema'],
    ['CREATE FUNCTION public.orders_api_fn() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$'],
    ['CREATE INDEX orders_api_index ON public.orders (customer_name)'],
    ['ALTER TABLE public.orders ADD COLUMN note text'],
    ['ALTER TABLE public.orders DISABLE TRIGGER orders_refuse_truncate'],
    ['DROP TABLE public.orders'],
    ['CREATE PUBLICATION orders_api_publication FOR TABLE public.orders'],
    ['ALTER PUBLICATION orders_publication SET TABLE public.orders'],
    ['SET ROLE orders_owner'],
    ['ALTER ROLE orders_api SUPERUSER'],
  ])('is refused: %s', async (sql) => {
    await expect(client().query(sql.replaceAll('orders_api', role))).rejects.toThrow(
      /permission denied|must be owner|must be superuser|must have admin option/,
    );
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
