/**
 * connectors/register.sh against the real Kafka Connect: a connector whose task is FAILED no longer
 * stops it (it restarts what failed, then waits for RUNNING), and a task that keeps failing is
 * reported with its trace within seconds instead of being waited on. A throwaway connector of its own
 * (a unique name, slot and publication; no snapshot, so it writes nothing) fails because its
 * publication does not exist yet, the way a task fails for a cause that is fixed later. The connector's
 * table.include.list is the config file's value followed by the tables of TABLES_FILE (both stacks
 * pass database/tables.list), and a list that names something else than schema.table is refused.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  connectorStatus,
  getConnectorConfig,
  stackEndpoints,
  superuserPool,
  waitFor,
  type ConnectorStatus,
} from '@orders-live/testkit';

const run = promisify(execFile);
const stack = stackEndpoints();
const suffix = `${Date.now()}`;
const NAME = `register-test-${suffix}`;
const SLOT = `register_test_${suffix}`;
const PUBLICATION = `register_test_${suffix}`;
/** A task fails within seconds of its start when its publication is missing. */
const FAILED_TIMEOUT_MS = 30_000;
/** register.sh's own deadline; 3 restarts 5 s apart end well before it. */
const REGISTER_TIMEOUT_S = 60;

const config = {
  name: NAME,
  'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
  'tasks.max': '1',
  // Resolved inside the worker, as for the orders connector (register-orders-connector.json).
  'database.hostname': '${env:ORDERS_DB_HOST}',
  'database.port': '${env:ORDERS_DB_PORT}',
  'database.dbname': '${env:ORDERS_DB_NAME}',
  'database.user': 'debezium',
  'database.password': '${env:DEBEZIUM_DB_PASSWORD}',
  'plugin.name': 'pgoutput',
  'publication.name': PUBLICATION,
  'publication.autocreate.mode': 'disabled',
  'slot.name': SLOT,
  // As in register-orders-connector.json: the part always streamed; register.sh appends TABLES_FILE's tables.
  'table.include.list': 'public.orders_heartbeat',
  'topic.prefix': `registertest${suffix}`,
  'snapshot.mode': 'no_data',
};

let admin: pg.Pool;
let connectorFile: string;
let tablesFile: string;

const register = async (tables = tablesFile): Promise<{ code: number; output: string }> => {
  try {
    const { stdout, stderr } = await run('sh', [`${REPO_ROOT}connectors/register.sh`], {
      env: {
        ...process.env,
        CONNECT_URL: stack.connectUrl,
        CONNECTOR_FILE: connectorFile,
        TABLES_FILE: tables,
        REGISTER_TIMEOUT_S: String(REGISTER_TIMEOUT_S),
      },
    });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const failure = err as { code: number; stdout: string; stderr: string };
    return { code: failure.code, output: failure.stdout + failure.stderr };
  }
};

const taskFailed = (status: ConnectorStatus | undefined): boolean => status?.tasks.some((task) => task.state === 'FAILED') ?? false;

beforeAll(async () => {
  admin = superuserPool(stack);
  const dir = mkdtempSync(`${tmpdir()}/register-test-`);
  connectorFile = `${dir}/connector.json`;
  writeFileSync(connectorFile, JSON.stringify(config, null, 2));
  tablesFile = `${dir}/tables.list`;
  writeFileSync(tablesFile, '# the tables this test streams\npublic.orders   # the demo\n\n  public.order_lines\n');
  const response = await fetch(`${stack.connectUrl}/connectors/${NAME}/config`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(config),
  });
  expect(response.status).toBe(201);
  await waitFor(
    'the test connector task to fail',
    async () => taskFailed(await connectorStatus(stack.connectUrl, NAME)),
    FAILED_TIMEOUT_MS,
  );
});

afterAll(async () => {
  await fetch(`${stack.connectUrl}/connectors/${NAME}`, { method: 'DELETE' });
  // The slot can be dropped once the deleted task has let go of it.
  await waitFor(
    'the test slot to be released',
    async () => (await admin.query(`SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active`, [SLOT])).rowCount === 0,
    FAILED_TIMEOUT_MS,
  );
  await admin.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1`, [SLOT]);
  await admin.query(`DROP PUBLICATION IF EXISTS ${PUBLICATION}`);
  await admin.end();
});

describe('connectors/register.sh', () => {
  it(
    'reports a task that keeps failing, with its trace, after 3 restarts',
    async () => {
      const { code, output } = await register();
      expect(code, output).toBe(1);
      expect(output).toMatch(new RegExp(`connector ${NAME} failed again after 3 restarts: .*"state":"FAILED"`));
      expect(output).toContain('initPublication'); // the trace names where it failed
    },
    REGISTER_TIMEOUT_S * 1000,
  );

  it(
    'restarts a FAILED task whose cause is gone and waits for it to be RUNNING',
    async () => {
      expect(taskFailed(await connectorStatus(stack.connectUrl, NAME))).toBe(true);
      await admin.query(`CREATE PUBLICATION ${PUBLICATION} FOR TABLE public.orders`);
      const { code, output } = await register();
      expect(code, output).toBe(0);
      expect(output).toContain(`/connectors/${NAME}/restart?includeTasks=true&onlyFailed=true`);
      const status = await connectorStatus(stack.connectUrl, NAME);
      expect(status?.tasks.map((task) => task.state)).toEqual(['RUNNING']);
      // The include list came from the tables file, after the config file's own value.
      expect(output).toContain('register: streaming public.orders_heartbeat,public.orders,public.order_lines');
      expect((await getConnectorConfig(stack.connectUrl, NAME))['table.include.list']).toBe(
        'public.orders_heartbeat,public.orders,public.order_lines',
      );
    },
    REGISTER_TIMEOUT_S * 1000,
  );

  it('refuses a tables file that names something else than schema.table, before asking Connect anything', async () => {
    const bad = `${tablesFile}.bad`;
    writeFileSync(bad, 'public.orders\npublic.orders,public.secrets\n');
    const { code, output } = await register(bad);
    expect(code, output).toBe(1);
    expect(output).toContain('not a schema.table name: public.orders,public.secrets');
    expect(output).not.toContain('PUT');
    // What was registered before stays.
    expect((await getConnectorConfig(stack.connectUrl, NAME))['table.include.list']).toBe(
      'public.orders_heartbeat,public.orders,public.order_lines',
    );
  });
});
