/**
 * The database side of the design, checked on the real Postgres of the stack: the connector's role
 * holds only what logical replication of the streamed tables (database/tables.list) needs, the orders
 * API's role and the editor's role (Adminer's login) only read and write rows of the demo's tables
 * (orders, customers, order_lines), order ids are the database's and never change, and TRUNCATE
 * (which the stream cannot carry) is refused.
 */
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  debeziumClient,
  ordersApiClient,
  ordersEditorClient,
  stackEndpoints,
  superuserPool,
  waitFor,
} from '@orders-live/testkit';

/** database/tables.list's tables, read as init.sh reads them. */
const STREAMED = readFileSync(`${REPO_ROOT}database/tables.list`, 'utf8')
  .split('\n')
  .map((line) => line.replace(/#.*/, '').trim())
  .filter(Boolean);
/** The demo's tables, each with the columns a writer may insert (not orders' identity, not customers' drawn uuid). */
const WRITABLE: Record<string, string[]> = {
  'public.orders': ['amount', 'created_at', 'customer_name', 'product_name', 'quantity', 'status', 'updated_at'],
  'public.customers': ['created_at', 'email', 'name', 'tier'],
  'public.order_lines': ['line_no', 'order_id', 'product_name', 'quantity', 'unit_price'],
};

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

  it('reads every streamed table, and holds SELECT on nothing else but the heartbeat row', async () => {
    expect(STREAMED).toEqual(expect.arrayContaining(Object.keys(WRITABLE)));
    for (const table of STREAMED) {
      const { rows } = await debezium.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect(rows[0].n, table).toBeGreaterThanOrEqual(0);
    }
    const { rows } = await admin.query(
      `SELECT table_schema || '.' || table_name AS "table", privilege_type AS privilege FROM information_schema.role_table_grants
        WHERE grantee = 'debezium' ORDER BY 1, 2`,
    );
    expect(rows).toEqual([...STREAMED, 'public.orders_heartbeat'].sort().map((table) => ({ table, privilege: 'SELECT' })));
  });

  it('reads through a publication of exactly the streamed tables and the heartbeat, each with REPLICA IDENTITY FULL', async () => {
    const { rows } = await admin.query<{ table: string; full: boolean }>(
      `SELECT p.schemaname || '.' || p.tablename AS "table", c.relreplident = 'f' AS "full"
         FROM pg_publication_tables p JOIN pg_class c ON c.oid = (quote_ident(p.schemaname) || '.' || quote_ident(p.tablename))::regclass
        WHERE p.pubname = 'orders_publication' ORDER BY 1`,
    );
    expect(rows).toEqual([...STREAMED, 'public.orders_heartbeat'].sort().map((table) => ({ table, full: true })));
  });

  it.each([
    [`INSERT INTO public.orders (customer_name, product_name, quantity, amount) VALUES ('x', 'y', 1, 1)`],
    [`UPDATE public.orders SET quantity = quantity WHERE false`],
    [`DELETE FROM public.orders WHERE false`],
    [`INSERT INTO public.customers (name, email) VALUES ('x', 'debezium@example.com')`],
    ['UPDATE public.customers SET tier = tier WHERE false'],
    ['DELETE FROM public.order_lines WHERE false'],
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

  it("holds exactly SELECT, UPDATE, DELETE on the demo's tables and INSERT on every column but a drawn id, and no privilege on any other table", async () => {
    const { rows } = await admin.query(
      `SELECT table_schema || '.' || table_name AS "table", privilege_type AS privilege FROM information_schema.role_table_grants
        WHERE grantee = $1 ORDER BY 1, 2`,
      [role],
    );
    expect(rows).toEqual(
      Object.keys(WRITABLE)
        .sort()
        .flatMap((table) => ['DELETE', 'SELECT', 'UPDATE'].map((privilege) => ({ table, privilege }))),
    );
    for (const [table, columns] of Object.entries(WRITABLE)) {
      const { rows: inserts } = await admin.query(
        `SELECT column_name AS column FROM information_schema.role_column_grants
          WHERE grantee = $1 AND table_schema || '.' || table_name = $2 AND privilege_type = 'INSERT' ORDER BY 1`,
        [role, table],
      );
      expect(
        inserts.map((r) => r.column),
        table,
      ).toEqual(columns);
    }
    const { rows: columns } = await admin.query(
      `SELECT count(*)::int AS n FROM information_schema.role_column_grants
        WHERE grantee = $1 AND NOT (table_schema || '.' || table_name = ANY ($2))`,
      [role, Object.keys(WRITABLE)],
    );
    expect(columns[0].n).toBe(0);
  });

  it('reads, inserts, updates and deletes customers and order lines, an order and its lines in one transaction (rolled back)', async () => {
    await client().query('BEGIN');
    try {
      const { rows: customers } = await client().query(
        `INSERT INTO public.customers (name, email, tier) VALUES ('privilege probe', $1, 'pro') RETURNING id`,
        [`${role}-probe@example.com`],
      );
      expect(customers[0].id).toMatch(/^[0-9a-f-]{36}$/);
      await client().query(`UPDATE public.customers SET tier = 'enterprise' WHERE id = $1`, [customers[0].id]);
      const { rows: orders } = await client().query(
        `INSERT INTO public.orders (customer_name, product_name, quantity, amount) VALUES ('privilege probe', 'p', 2, 2) RETURNING id`,
      );
      await client().query(
        `INSERT INTO public.order_lines (order_id, line_no, product_name, quantity, unit_price) VALUES ($1, 1, 'p', 2, 1), ($1, 2, 'q', 1, 0)`,
        [orders[0].id],
      );
      await client().query(`UPDATE public.order_lines SET quantity = 3 WHERE order_id = $1 AND line_no = 1`, [orders[0].id]);
      // Deleting the order deletes its lines (ON DELETE CASCADE), in the same transaction.
      await client().query('DELETE FROM public.orders WHERE id = $1', [orders[0].id]);
      const { rows: lines } = await client().query('SELECT count(*)::int AS n FROM public.order_lines WHERE order_id = $1', [orders[0].id]);
      expect(lines).toEqual([{ n: 0 }]);
      expect((await client().query('DELETE FROM public.customers WHERE id = $1', [customers[0].id])).rowCount).toBe(1);
    } finally {
      await client().query('ROLLBACK');
    }
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
    ['TRUNCATE public.customers'],
    ['TRUNCATE public.order_lines'],
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
    ['ALTER PUBLICATION orders_publication DROP TABLE public.customers'],
    ['ALTER TABLE public.order_lines REPLICA IDENTITY DEFAULT'],
    ['SET ROLE orders_owner'],
    ['ALTER ROLE orders_api SUPERUSER'],
  ])('is refused: %s', async (sql) => {
    await expect(client().query(sql.replaceAll('orders_api', role))).rejects.toThrow(
      /permission denied|must be owner|must be superuser|must have admin option/,
    );
  });
});

describe('the orders table', () => {
  it('refuses TRUNCATE, which the change stream could not carry, on every table of the demo', async () => {
    // CASCADE: without it, order_lines' foreign key refuses first.
    await expect(admin.query('TRUNCATE public.orders CASCADE')).rejects.toThrow(/TRUNCATE on orders is not allowed/);
    await expect(admin.query('TRUNCATE public.customers')).rejects.toThrow(/TRUNCATE on customers is not allowed/);
    await expect(admin.query('TRUNCATE public.order_lines')).rejects.toThrow(/TRUNCATE on order_lines is not allowed/);
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
