/**
 * Streams a table on a running system, or stops streaming it: the database's part (as the tables'
 * owner, who owns the publication), database/tables.list, and the running connector's
 * table.include.list. Each step says what it did through `say`; a step that finds its work done
 * already says so and goes on, so running the command again after a failure finishes the job.
 *
 * Order: the database first, then the list, then the connector. Adding, a row written between the
 * publication's change and the connector's restart reaches Debezium before the table is in its
 * include list and is dropped there; the blocking snapshot that ends `add` reads every row the table
 * then holds, so the topic holds them all the same (docs/operations.md, "Adding a table").
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type pg from 'pg';
import { HEARTBEAT_TABLE, includeList, parseTablesList, withTable, withoutTable } from './list.js';
import { snapshotTable } from './snapshot.js';

/** Streamed by every part of the system; removing it would stop the product, not a table. */
export const ALWAYS_STREAMED: readonly string[] = [HEARTBEAT_TABLE, 'public.orders'];

export type TablesErrorCode = 'E_NO_TABLE' | 'E_NOT_A_TABLE' | 'E_NO_PRIMARY_KEY' | 'E_NOT_OWNER' | 'E_ALWAYS_STREAMED' | 'E_CONNECT';

export class TablesError extends Error {
  override readonly name = 'TablesError';
  constructor(
    readonly code: TablesErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export interface TablesContext {
  /** Connected as the tables' owner (orders_owner), who owns the publication. */
  readonly db: pg.ClientBase;
  readonly connectUrl: string;
  /** Kafka, where the connector's signal channel reads. */
  readonly brokers: readonly string[];
  readonly tablesFile: string;
  /** register-orders-connector.json: the connector's name, publication, role and the include list's fixed part. */
  readonly connectorFile: string;
  /** How long the connector's task may take to be RUNNING again with the new config. */
  readonly connectorTimeoutMs: number;
  readonly say: (line: string) => void;
}

interface ConnectorFile {
  readonly name: string;
  readonly publication: string;
  readonly role: string;
  readonly includeBase: string;
  readonly topicPrefix: string;
  readonly signalTopic: string;
}

function readConnectorFile(path: string): ConnectorFile {
  const config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string | undefined>;
  const get = (key: string): string => {
    const value = config[key];
    if (value === undefined) throw new Error(`${path} has no "${key}"`);
    return value;
  };
  return {
    name: get('name'),
    publication: get('publication.name'),
    role: get('database.user'),
    includeBase: get('table.include.list'),
    topicPrefix: get('topic.prefix'),
    signalTopic: get('signal.kafka.topic'),
  };
}

interface TableFacts {
  readonly kind: string;
  readonly owner: string;
  readonly currentUser: string;
  readonly hasPrimaryKey: boolean;
  readonly fullIdentity: boolean;
  readonly published: boolean;
}

async function tableFacts(db: pg.ClientBase, table: string, publication: string): Promise<TableFacts | undefined> {
  const [schema, name] = table.split('.') as [string, string];
  const { rows } = await db.query<TableFacts>(
    `SELECT c.relkind AS kind, pg_get_userbyid(c.relowner) AS owner, current_user AS "currentUser",
            EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS "hasPrimaryKey",
            c.relreplident = 'f' AS "fullIdentity",
            EXISTS (SELECT 1 FROM pg_publication_tables p WHERE p.pubname = $3 AND p.schemaname = n.nspname AND p.tablename = c.relname) AS published
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2`,
    [schema, name, publication],
  );
  return rows[0];
}

/** Only the owner may publish a table, change its replica identity and grant on it. */
function checkOwner(table: string, facts: TableFacts): void {
  if (facts.owner !== facts.currentUser) {
    throw new TablesError(
      'E_NOT_OWNER',
      `${table} is owned by ${facts.owner}, not by ${facts.currentUser}, who owns the publication: only a table's owner may publish it (ALTER TABLE ${table} OWNER TO ${facts.currentUser})`,
    );
  }
}

async function inTransaction(db: pg.ClientBase, work: () => Promise<void>): Promise<void> {
  await db.query('BEGIN');
  try {
    await work();
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

export async function addTable(ctx: TablesContext, table: string): Promise<void> {
  const connector = readConnectorFile(ctx.connectorFile);
  if (table === HEARTBEAT_TABLE) throw new TablesError('E_ALWAYS_STREAMED', `${table} is always streamed`);
  const facts = await tableFacts(ctx.db, table, connector.publication);
  if (!facts) throw new TablesError('E_NO_TABLE', `${table} does not exist (create it first, as its owner)`);
  if (facts.kind !== 'r') throw new TablesError('E_NOT_A_TABLE', `${table} is not a plain table (relkind ${facts.kind})`);
  if (!facts.hasPrimaryKey) {
    throw new TablesError(
      'E_NO_PRIMARY_KEY',
      `${table} has no primary key: a streamed table needs one (its topic's records and the page's rows are keyed by it)`,
    );
  }
  checkOwner(table, facts);
  await inTransaction(ctx.db, async () => {
    if (facts.fullIdentity) ctx.say(`database: ${table} has REPLICA IDENTITY FULL already`);
    else {
      await ctx.db.query(`ALTER TABLE ${table} REPLICA IDENTITY FULL`);
      ctx.say(`database: ALTER TABLE ${table} REPLICA IDENTITY FULL (updates and deletes carry the whole old row)`);
    }
    await ctx.db.query(`GRANT SELECT ON ${table} TO ${connector.role}`);
    ctx.say(`database: GRANT SELECT ON ${table} TO ${connector.role}`);
    if (facts.published) ctx.say(`database: ${table} is in publication ${connector.publication} already`);
    else {
      await ctx.db.query(`ALTER PUBLICATION ${connector.publication} ADD TABLE ${table}`);
      ctx.say(`database: ALTER PUBLICATION ${connector.publication} ADD TABLE ${table}`);
    }
  });
  editList(ctx, table, 'add');
  await applyIncludeList(ctx, connector);
  // Counted after the connector streams the table: every row from here on is in the snapshot or a change.
  const { rows } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  const rowCount = rows[0]!.n;
  ctx.say(`connector: blocking snapshot of ${table} (${rowCount} rows) requested on ${connector.signalTopic}`);
  const topic = `${connector.topicPrefix}.${table}`;
  const seen = await snapshotTable(
    { brokers: ctx.brokers, signalTopic: connector.signalTopic, topicPrefix: connector.topicPrefix, table },
    rowCount,
    ctx.connectorTimeoutMs,
  );
  if (seen < rowCount) {
    throw new TablesError('E_CONNECT', `${topic} gained ${seen} of ${rowCount} records in ${ctx.connectorTimeoutMs} ms; see Connect's log`);
  }
  ctx.say(`kafka: ${topic} has the table's rows (${seen} records since the request); changes follow live`);
}

export async function removeTable(ctx: TablesContext, table: string): Promise<void> {
  const connector = readConnectorFile(ctx.connectorFile);
  if (ALWAYS_STREAMED.includes(table)) {
    throw new TablesError('E_ALWAYS_STREAMED', `${table} is streamed by every part of the system and cannot be removed`);
  }
  const facts = await tableFacts(ctx.db, table, connector.publication);
  if (!facts) ctx.say(`database: ${table} does not exist (dropping a table removes it from the publication); nothing to undo there`);
  else {
    checkOwner(table, facts);
    await inTransaction(ctx.db, async () => {
      if (facts.published) {
        await ctx.db.query(`ALTER PUBLICATION ${connector.publication} DROP TABLE ${table}`);
        ctx.say(`database: ALTER PUBLICATION ${connector.publication} DROP TABLE ${table}`);
      } else ctx.say(`database: ${table} is not in publication ${connector.publication}`);
      await ctx.db.query(`REVOKE SELECT ON ${table} FROM ${connector.role}`);
      ctx.say(`database: REVOKE SELECT ON ${table} FROM ${connector.role}`);
      if (facts.fullIdentity) {
        await ctx.db.query(`ALTER TABLE ${table} REPLICA IDENTITY DEFAULT`);
        ctx.say(`database: ALTER TABLE ${table} REPLICA IDENTITY DEFAULT (the old row's key only, as for any table)`);
      }
    });
  }
  editList(ctx, table, 'remove');
  await applyIncludeList(ctx, connector);
  ctx.say(`kafka: the topic of ${table} keeps the records it has; delete it by hand if they are not wanted`);
}

function editList(ctx: TablesContext, table: string, change: 'add' | 'remove'): void {
  const before = readFileSync(ctx.tablesFile, 'utf8');
  const after = change === 'add' ? withTable(before, table) : withoutTable(before, table);
  if (after === before) ctx.say(`list: ${ctx.tablesFile} ${change === 'add' ? 'names' : 'does not name'} ${table} already`);
  else {
    writeFileSync(ctx.tablesFile, after);
    ctx.say(`list: ${change === 'add' ? 'added' : 'removed'} ${table} ${change === 'add' ? 'to' : 'from'} ${ctx.tablesFile}`);
  }
}

/** The include list register.sh would compute now, PUT on the running connector; then its task RUNNING again. */
async function applyIncludeList(ctx: TablesContext, connector: ConnectorFile): Promise<void> {
  const url = `${ctx.connectUrl}/connectors/${connector.name}`;
  const include = includeList(connector.includeBase, parseTablesList(readFileSync(ctx.tablesFile, 'utf8')));
  const current = await fetch(`${url}/config`).catch((err: Error) => {
    throw new TablesError('E_CONNECT', `Kafka Connect at ${ctx.connectUrl} does not answer (${err.message})`);
  });
  if (!current.ok) throw new TablesError('E_CONNECT', `GET ${url}/config answered HTTP ${current.status}`);
  const config = (await current.json()) as Record<string, string>;
  if (config['table.include.list'] === include) {
    ctx.say(`connector: ${connector.name} streams ${include} already`);
    return;
  }
  const put = await fetch(`${url}/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...config, 'table.include.list': include }),
  });
  if (!put.ok) throw new TablesError('E_CONNECT', `PUT ${url}/config answered HTTP ${put.status}: ${await put.text()}`);
  ctx.say(`connector: PUT ${url}/config with table.include.list=${include}`);
  await waitForRunningTask(ctx, url, include);
  ctx.say(`connector: the task of ${connector.name} is RUNNING with the new list`);
}

/** How often the connector's tasks and status are asked while waiting. */
const CONNECT_POLL_MS = 250;

async function waitForRunningTask(ctx: TablesContext, url: string, include: string): Promise<void> {
  const deadline = Date.now() + ctx.connectorTimeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const tasks = (await (await fetch(`${url}/tasks`)).json().catch(() => [])) as { config: Record<string, string> }[];
    const status = (await (await fetch(`${url}/status`)).json().catch(() => undefined)) as
      { tasks?: { state: string; trace?: string }[] } | undefined;
    const states = status?.tasks?.map((task) => task.state) ?? [];
    last = states.join(',');
    const failed = status?.tasks?.find((task) => task.state === 'FAILED');
    if (failed) throw new TablesError('E_CONNECT', `the connector's task FAILED: ${failed.trace?.split('\n')[0] ?? 'no trace'}`);
    const live = tasks.length > 0 && tasks.every((task) => task.config['table.include.list'] === include);
    if (live && states.length > 0 && states.every((state) => state === 'RUNNING')) return;
    await new Promise((resolve) => setTimeout(resolve, CONNECT_POLL_MS));
  }
  throw new TablesError(
    'E_CONNECT',
    `the connector's task was not RUNNING with the new list in ${ctx.connectorTimeoutMs} ms (tasks: ${last || 'none'})`,
  );
}
