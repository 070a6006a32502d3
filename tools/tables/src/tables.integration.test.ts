/**
 * `npm run tables -- add|remove` on the real stack: a table its owner creates (with rows already in
 * it) is added, its rows and then its changes reach the topic orders.public.<table> — and a running
 * websocket-service following the same list serves it live, with no restart; once removed, a change
 * of it reaches the topic no more, while a later change of a streamed table does, and the service's
 * subscribers of it are told E_UNKNOWN_TABLE. A table
 * without a primary key, or not the publication owner's, is refused with its code.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  getConnectorConfig,
  readEnvFile,
  recordingClient,
  stackEndpoints,
  startServiceProcess,
  superuserPool,
  waitFor,
  type RecordingClient,
  type ServiceProcess,
} from '@orders-live/testkit';
import { encodeKey, type ErrorFrame } from '@orders-live/protocol';
import { parseTablesList } from './list.js';
import { addTable, removeTable, type TablesContext } from './tables.js';

const stack = stackEndpoints();
const suffix = `${Date.now()}`;
const TABLE = `public.tables_probe_${suffix}`;
const NO_KEY = `public.tables_nokey_${suffix}`;
const NOT_OWNED = `public.tables_notowned_${suffix}`;
const TOPIC = `orders.${TABLE}`;
/** The connector's task restarts and its signal channel picks the snapshot request up: seconds, more on a busy machine. */
const STEP_TIMEOUT_MS = 120_000;

let admin: pg.Pool;
let owner: pg.Client;
let tablesFile: string;
/** A websocket-service following the test's tables list, as every replica follows database/tables.list. */
let service: ServiceProcess;
let watcher: RecordingClient | undefined;
const watcherErrors: ErrorFrame[] = [];
const said: string[] = [];
const consumers: Consumer[] = [];
const kafka = new Kafka({ clientId: 'tables-test', brokers: [...stack.kafkaBrokers], logLevel: logLevel.ERROR });

interface Seen {
  readonly key: string;
  readonly op: string | undefined;
  readonly after: Record<string, unknown> | null;
}

/** Every record of `topic` from its start, as they arrive. */
async function follow(topic: string): Promise<Seen[]> {
  const seen: Seen[] = [];
  const consumer = kafka.consumer({ groupId: `tables-test-${randomUUID()}` });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message }) => {
      type Envelope = { op?: string; after?: Record<string, unknown> | null; payload?: Envelope };
      const value = message.value === null ? null : (JSON.parse(message.value.toString('utf8')) as Envelope);
      // With embedded schemas (schemas.enable=true) the envelope is the payload.
      const envelope = value?.payload ?? value;
      seen.push({ key: message.key?.toString('utf8') ?? '', op: envelope?.op, after: envelope?.after ?? null });
    },
  });
  return seen;
}

const context = (): TablesContext => ({
  db: owner,
  connectUrl: stack.connectUrl,
  brokers: stack.kafkaBrokers,
  tablesFile,
  connectorFile: `${REPO_ROOT}register-orders-connector.json`,
  connectorTimeoutMs: STEP_TIMEOUT_MS,
  say: (line) => said.push(line),
});

beforeAll(async () => {
  admin = superuserPool(stack);
  const password = process.env['ORDERS_OWNER_PASSWORD'] ?? readEnvFile()['ORDERS_OWNER_PASSWORD'] ?? 'orders_owner';
  const { host, port, database } = stack.postgres;
  owner = new pg.Client({ host, port, database, user: 'orders_owner', password });
  await owner.connect();
  // A copy: the test must not change the repository's list.
  tablesFile = `${mkdtempSync(`${tmpdir()}/tables-test-`)}/tables.list`;
  copyFileSync(`${REPO_ROOT}database/tables.list`, tablesFile);
  await owner.query(`CREATE TABLE ${TABLE} (sku text, warehouse int, quantity int NOT NULL, PRIMARY KEY (sku, warehouse))`);
  await owner.query(`INSERT INTO ${TABLE} VALUES ('before-1', 1, 10), ('before-2', 1, 20), ('before-3', 2, 30)`);
  await owner.query(`CREATE TABLE ${NO_KEY} (note text)`);
  await admin.query(`CREATE TABLE ${NOT_OWNED} (id int PRIMARY KEY)`);
  service = await startServiceProcess(stack, { env: { TABLES_FILE: tablesFile, TABLES_FILE_POLL_MS: '200', SERVER_ID: 'tables-test' } });
}, STEP_TIMEOUT_MS);

afterAll(async () => {
  watcher?.client.close();
  await service?.stop();
  await Promise.all(consumers.map((c) => c.disconnect()));
  // Whatever a failed test left: the connector back to the repository's list, the tables gone.
  if (tablesFile) {
    copyFileSync(`${REPO_ROOT}database/tables.list`, tablesFile);
    await removeTable(context(), TABLE).catch(() => undefined);
  }
  await owner?.query(`DROP TABLE IF EXISTS ${TABLE}, ${NO_KEY}`);
  await owner?.end();
  await admin?.query(`DROP TABLE IF EXISTS ${NOT_OWNED}`);
  await admin?.end();
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  if ((await kafkaAdmin.listTopics()).includes(TOPIC)) await kafkaAdmin.deleteTopics({ topics: [TOPIC] });
  await kafkaAdmin.disconnect();
});

describe('npm run tables', () => {
  it(
    'add: the rows the table holds, then its changes, reach orders.public.<table>',
    async () => {
      await addTable(context(), TABLE);
      expect(said).toContain(`database: ALTER PUBLICATION orders_publication ADD TABLE ${TABLE}`);
      expect(parseTablesList(readFileSync(tablesFile, 'utf8'))).toContain(TABLE);
      expect((await getConnectorConfig(stack.connectUrl, 'orders'))['table.include.list']).toBe(
        `public.orders_heartbeat,${parseTablesList(readFileSync(tablesFile, 'utf8')).join(',')}`,
      );
      const { rows } = await admin.query(
        `SELECT relreplident, has_table_privilege('debezium', $1, 'SELECT') AS readable,
                EXISTS (SELECT 1 FROM pg_publication_tables WHERE pubname = 'orders_publication' AND tablename = $2) AS published
           FROM pg_class WHERE oid = $1::regclass`,
        [TABLE, TABLE.split('.')[1]],
      );
      expect(rows).toEqual([{ relreplident: 'f', readable: true, published: true }]);

      const seen = await follow(TOPIC);
      // The snapshot: the three rows it held, keyed by both key columns.
      await waitFor('the snapshot of the rows', () => seen.filter((r) => r.op === 'r').length >= 3, STEP_TIMEOUT_MS);
      expect(seen.filter((r) => r.op === 'r').map((r) => r.after?.['sku'])).toEqual(['before-1', 'before-2', 'before-3']);
      expect(JSON.parse(seen[0]!.key)).toEqual({ sku: 'before-1', warehouse: 1 });
      // The service following the list serves it, no restart: a live window of it, rows by their composite key.
      const name = TABLE.slice('public.'.length);
      watcher = recordingClient(service.wsUrl, { table: name, window: { orderBy: { column: 'quantity', direction: 'asc' }, limit: 10 } });
      watcher.client.on('server-error', (frame) => watcherErrors.push(frame));
      await waitFor(
        'the service to serve the table',
        async () => {
          const ready = (await (await fetch(`${service.httpUrl}/readyz`)).json()) as { tables: Record<string, { rows: number }> };
          return (ready.tables[name]?.rows ?? 0) >= 3;
        },
        STEP_TIMEOUT_MS,
      );
      watcher.client.connect();
      await watcher.waitLive(STEP_TIMEOUT_MS);
      expect(watcher.client.window?.rows.map((row) => watcher!.client.idOf(row))).toEqual([
        encodeKey(['before-1', 1]),
        encodeKey(['before-2', 1]),
        encodeKey(['before-3', 2]),
      ]);
      // Then a change, live: in the topic, and on the service's window.
      await owner.query(`INSERT INTO ${TABLE} VALUES ('after-add', 3, 40)`);
      await waitFor('the insert after add', () => seen.some((r) => r.op === 'c' && r.after?.['sku'] === 'after-add'), STEP_TIMEOUT_MS);
      await waitFor('the insert on the window', () => watcher!.client.window?.rows.at(-1)?.['sku'] === 'after-add', STEP_TIMEOUT_MS);
    },
    STEP_TIMEOUT_MS * 3,
  );

  it(
    'remove: a later change of the table reaches its topic no more; one of a streamed table does',
    async () => {
      said.length = 0;
      await removeTable(context(), TABLE);
      expect(said).toContain(`database: ALTER PUBLICATION orders_publication DROP TABLE ${TABLE}`);
      expect(parseTablesList(readFileSync(tablesFile, 'utf8'))).not.toContain(TABLE);
      expect((await getConnectorConfig(stack.connectUrl, 'orders'))['table.include.list']).not.toContain(TABLE);
      expect((await admin.query(`SELECT has_table_privilege('debezium', $1, 'SELECT') AS readable`, [TABLE])).rows).toEqual([
        { readable: false },
      ]);

      const seen = await follow(TOPIC);
      await waitFor('the records written while it streamed', () => seen.some((r) => r.after?.['sku'] === 'after-add'), STEP_TIMEOUT_MS);
      const before = seen.length;
      await owner.query(`INSERT INTO ${TABLE} VALUES ('after-remove', 4, 50)`);
      // Committed after it: once this change of a streamed table is in its topic, the connector has
      // read past the insert above (it reads the WAL in commit order).
      const customers = await follow('orders.public.customers');
      const email = `tables-${suffix}@example.com`;
      await admin.query(`INSERT INTO customers (name, email) VALUES ('Tables probe', $1)`, [email]);
      await waitFor('the later change of customers', () => customers.some((r) => r.after?.['email'] === email), STEP_TIMEOUT_MS);
      await admin.query('DELETE FROM customers WHERE email = $1', [email]);
      expect(seen.length).toBe(before);
      expect(seen.some((r) => r.after?.['sku'] === 'after-remove')).toBe(false);
      // The service stops serving it: its subscriber is told so.
      await waitFor('the subscriber told the table is gone', () => watcherErrors.length > 0, STEP_TIMEOUT_MS);
      expect(watcherErrors[0]).toMatchObject({ code: 'E_UNKNOWN_TABLE' });
    },
    STEP_TIMEOUT_MS * 3,
  );

  it('refuses a table without a primary key, one not owned by the publication owner, and one that does not exist', async () => {
    await expect(addTable(context(), NO_KEY)).rejects.toThrow(/^E_NO_PRIMARY_KEY: .* has no primary key/);
    await expect(addTable(context(), NOT_OWNED)).rejects.toThrow(/^E_NOT_OWNER: .* is owned by postgres/);
    await expect(addTable(context(), `public.tables_missing_${suffix}`)).rejects.toThrow(/^E_NO_TABLE: /);
    await expect(removeTable(context(), 'public.orders')).rejects.toThrow(/^E_ALWAYS_STREAMED: /);
    // Nothing was changed on the way to a refusal.
    expect(parseTablesList(readFileSync(tablesFile, 'utf8'))).toEqual(
      parseTablesList(readFileSync(`${REPO_ROOT}database/tables.list`, 'utf8')),
    );
  });
});
