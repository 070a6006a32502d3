/**
 * database/init.sh's reading of database/tables.list, and 04-publication.sql's refusal of a table
 * without a primary key, on the stack's real Postgres: a malformed list stops init before it touches
 * the database; a listed table that has no primary key (or does not exist) stops it with an error
 * naming the table; a good list becomes the publication, with REPLICA IDENTITY FULL and the debezium
 * role's SELECT on each table. The publication part runs in a scratch database of its own.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, stackEndpoints, superuserPool } from '@orders-live/testkit';

const run = promisify(execFile);
const stack = stackEndpoints();
const SCRATCH = `init_probe_${Date.now()}`;
const dir = mkdtempSync(`${tmpdir()}/init-test-`);

let admin: pg.Pool;
let scratch: pg.Client;

const pgEnv = {
  PGHOST: stack.postgres.host,
  PGPORT: String(stack.postgres.port),
  PGUSER: stack.postgres.superuser,
  PGPASSWORD: stack.postgres.password,
};

async function outcome(command: string, args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(command, args, { env: { ...process.env, ...env } });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const failure = err as { code: number; stdout: string; stderr: string };
    return { code: failure.code, output: failure.stdout + failure.stderr };
  }
}

/** init.sh with the list `text`, pointed at a database that does not exist: it must stop before asking for it. */
async function initWith(text: string): Promise<{ code: number; output: string }> {
  const file = `${dir}/tables-${Math.random().toString(36).slice(2)}.list`;
  writeFileSync(file, text);
  return outcome('sh', [`${REPO_ROOT}database/init.sh`], {
    ...pgEnv,
    POSTGRES_DB: `${SCRATCH}_never_made`,
    TABLES_FILE: file,
    ORDERS_OWNER_PASSWORD: 'x',
    DEBEZIUM_DB_PASSWORD: 'x',
    ORDERS_API_DB_PASSWORD: 'x',
    ORDERS_EDITOR_DB_PASSWORD: 'x',
  });
}

/** 04-publication.sql in the scratch database, for the comma-separated `tables`. */
const publish = (tables: string) =>
  outcome(
    'psql',
    [
      '--no-psqlrc',
      '-v',
      'ON_ERROR_STOP=1',
      '--quiet',
      '--dbname',
      SCRATCH,
      '-v',
      `streamed_tables=${tables}`,
      '-f',
      `${REPO_ROOT}database/sql/04-publication.sql`,
    ],
    pgEnv,
  );

beforeAll(async () => {
  admin = superuserPool(stack);
  await admin.query(`CREATE DATABASE ${SCRATCH}`);
  scratch = new pg.Client({ ...stack.postgres, user: stack.postgres.superuser, database: SCRATCH });
  await scratch.connect();
  await scratch.query(`CREATE TABLE public.orders_heartbeat (id smallint PRIMARY KEY, beat_at timestamptz)`);
  await scratch.query(`CREATE TABLE public.keyed (id uuid PRIMARY KEY, note text)`);
  await scratch.query(`CREATE TABLE public.pairs (a int, b int, PRIMARY KEY (a, b))`);
  await scratch.query(`CREATE TABLE public.unkeyed (note text)`);
});

afterAll(async () => {
  await scratch?.end();
  await admin?.query(`DROP DATABASE IF EXISTS ${SCRATCH}`);
  await admin?.end();
});

describe('database/init.sh reads database/tables.list', () => {
  it.each([
    ['a name that is not schema.table', 'public.orders\nPublic.Orders;drop\n', 'not a schema.table name: Public.Orders;drop'],
    ['the heartbeat table', 'public.orders\npublic.orders_heartbeat\n', 'lists public.orders_heartbeat, which is always streamed'],
    ['a table twice', 'public.orders\npublic.orders # again\n', 'lists twice: public.orders'],
    ['no table', '# nothing\n\n', 'names no table'],
  ])('stops before touching the database on %s', async (_what, text, message) => {
    const { code, output } = await initWith(text);
    expect(code, output).toBe(1);
    expect(output).toContain(message);
    expect(output).not.toContain(`${SCRATCH}_never_made`); // never connected
  });
});

describe('database/sql/04-publication.sql', () => {
  it('refuses a listed table without a primary key, naming it, and publishes nothing', async () => {
    const { code, output } = await publish('public.keyed,public.unkeyed');
    expect(code).not.toBe(0);
    expect(output).toContain('database/tables.list names public.unkeyed, which has no primary key');
    expect((await scratch.query(`SELECT 1 FROM pg_publication WHERE pubname = 'orders_publication'`)).rowCount).toBe(0);
  });

  it('refuses a listed table that does not exist', async () => {
    const { code, output } = await publish('public.keyed,public.missing');
    expect(code).not.toBe(0);
    expect(output).toContain('database/tables.list names public.missing, which does not exist');
  });

  it('publishes the listed tables and the heartbeat, each with REPLICA IDENTITY FULL and readable by debezium', async () => {
    const { code, output } = await publish('public.keyed,public.pairs');
    expect(code, output).toBe(0);
    const { rows } = await scratch.query(
      `SELECT p.tablename AS table, c.relreplident AS identity, has_table_privilege('debezium', c.oid, 'SELECT') AS readable
         FROM pg_publication_tables p JOIN pg_class c ON c.relname = p.tablename
        WHERE p.pubname = 'orders_publication' ORDER BY 1`,
    );
    expect(rows).toEqual([
      { table: 'keyed', identity: 'f', readable: true },
      { table: 'orders_heartbeat', identity: 'd', readable: false },
      { table: 'pairs', identity: 'f', readable: true },
    ]);
  });
});
