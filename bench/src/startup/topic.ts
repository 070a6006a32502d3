/**
 * A topic holding N rows for bench:startup, made the way the real one is — a Debezium snapshot of
 * an orders table — but on the side: its own database (orders_bench_startup, same schema), its own
 * connector, slot and topic. The shared orders topic never sees the million rows (nor, afterwards,
 * a million deletes and tombstones that every service start would have to read through), and the
 * whole thing is dropped when the benchmark ends.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import pg from 'pg';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import {
  REPO_ROOT,
  connectorStatus,
  deleteConnector,
  getConnectorConfig,
  putConnectorConfig,
  waitFor,
  type ConnectorConfig,
  type StackEndpoints,
} from '@orders-live/testkit';
import { insertGeneratedOrders } from '@orders-live/testkit/rows';
import { sleep } from '../harness/clock.js';

const BENCH_DATABASE = 'orders_bench_startup';
const TEMPLATE_CONNECTOR = 'orders';
const PROGRESS_INTERVAL_MS = 5_000;
/** The snapshot streams tens of thousands of rows a second; a stall this long means it failed. */
const SNAPSHOT_STALL_MS = 120_000;
const SLOT_RELEASE_TIMEOUT_MS = 60_000;

const SCHEMA_FILES = ['01-schema.sql', '02-privileges.sql'].map((name) => `${REPO_ROOT}database/sql/${name}`);
/** The tables a start-up topic can be made of: the demo's three, each with its kind of key. */
export const STARTUP_TABLES = ['orders', 'customers', 'order_lines'] as const;
export type StartupTable = (typeof STARTUP_TABLES)[number];

/** The connector runs with publication.autocreate.mode=disabled: the tables' owner publishes them. */
function publish(table: StartupTable): string {
  return `
ALTER TABLE public.${table} REPLICA IDENTITY FULL;
GRANT SELECT ON public.${table} TO debezium;
CREATE PUBLICATION orders_publication FOR TABLE public.orders_heartbeat, public.${table};`;
}

/**
 * `rows` rows of the table, generated in Postgres in one statement or two: customers (uuid key) with
 * a tier each; order lines (composite key) four to an order, over rows/4 orders made first.
 */
async function insertTableRows(db: pg.Pool, table: StartupTable, rows: number): Promise<void> {
  if (table === 'orders') {
    await insertGeneratedOrders(db, rows, { aged: true });
    return;
  }
  if (table === 'customers') {
    await db.query(
      `INSERT INTO public.customers (name, email, tier)
       SELECT 'Customer ' || g, 'customer' || g || '@example.com', (ARRAY['free','pro','enterprise'])[1 + g % 3]
       FROM generate_series(1, $1::int) AS g`,
      [rows],
    );
    return;
  }
  await insertGeneratedOrders(db, Math.ceil(rows / LINES_PER_ORDER), { aged: true });
  await db.query(
    `INSERT INTO public.order_lines (order_id, line_no, product_name, quantity, unit_price)
     SELECT o.id, l, 'Part ' || (o.id % 97), 1 + (o.id + l) % 9, ((o.id * 13 + l) % 10000) / 100.0
     FROM public.orders AS o CROSS JOIN generate_series(1, ${LINES_PER_ORDER}) AS l
     ORDER BY o.id, l LIMIT $1`,
    [rows],
  );
}

/** Lines per order in a generated order_lines table. */
const LINES_PER_ORDER = 4;

export interface GeneratedTopic {
  readonly topic: string;
  readonly rows: number;
  /** Inserting the rows in Postgres (INSERT … SELECT generate_series, one transaction). */
  readonly insertMs: number;
  /** Connector registered → the topic's end offset reached `rows` (Debezium's snapshot). */
  readonly snapshotMs: number;
  readonly topicBytes: number | null;
}

function adminFor(stack: StackEndpoints): Kafka {
  return new Kafka({ clientId: 'orders-live-bench-startup', brokers: [...stack.kafkaBrokers], logLevel: logLevel.ERROR });
}

async function endOffset(admin: Admin, topic: string): Promise<number> {
  const topics = await admin.listTopics();
  if (!topics.includes(topic)) return 0;
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

export class StartupTopics {
  readonly #stack: StackEndpoints;
  readonly #runId: string;
  readonly #log: (line: string) => void;
  readonly #topics = new Set<string>();
  /** connector → its slot */
  readonly #connectors = new Map<string, string>();
  readonly #slots = new Set<string>();
  #admin: Admin | undefined;

  constructor(stack: StackEndpoints, runId: string, log: (line: string) => void) {
    this.#stack = stack;
    this.#runId = runId.replace(/[^a-z0-9]/gi, '').toLowerCase();
    this.#log = log;
  }

  async #kafkaAdmin(): Promise<Admin> {
    if (!this.#admin) {
      this.#admin = adminFor(this.#stack).admin();
      await this.#admin.connect();
    }
    return this.#admin;
  }

  #pool(database: string): pg.Pool {
    const { host, port, superuser, password } = this.#stack.postgres;
    return new pg.Pool({ host, port, database, user: superuser, password, max: 1 });
  }

  /** An empty topic: what the service needs to start on nothing (the fixed cost of a start). */
  async createEmpty(): Promise<string> {
    const topic = `bench-startup-${this.#runId}-empty`;
    const admin = await this.#kafkaAdmin();
    this.#topics.add(topic);
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    return topic;
  }

  /** A topic with `rows` snapshot records of as many rows of `table`. */
  async create(rows: number, table: StartupTable = 'orders'): Promise<GeneratedTopic> {
    const tag = `${this.#runId}${table === 'orders' ? '' : table.replace('_', '')}r${rows}`;
    const connector = `orders-bench-startup-${tag}`;
    const slot = `bench_startup_${tag}`.slice(0, 63);
    const prefix = `bench-startup-${tag}`;
    const topic = `${prefix}.public.${table}`;

    await this.#createDatabase(table);
    const insertMs = await this.#insertRows(table, rows);
    this.#log(`  inserted ${rows} rows in ${Math.round(insertMs)} ms; Debezium snapshots them into ${topic}…`);

    const template = await getConnectorConfig(this.#stack.connectUrl, TEMPLATE_CONNECTOR);
    const config: ConnectorConfig = {
      ...template,
      name: connector,
      'database.dbname': BENCH_DATABASE,
      'slot.name': slot,
      'slot.drop.on.stop': 'true',
      'topic.prefix': prefix,
      'snapshot.mode': 'initial',
      // Only the measured table: the other streamed tables exist in this database (the real schema)
      // but are neither published nor readable by debezium, and a failed snapshot of one restarts the
      // whole snapshot, over and over.
      'table.include.list': `public.${table}`,
      // Bigger batches only make the snapshot quicker; records and their batches look the same.
      'max.batch.size': '8192',
      'max.queue.size': '65536',
    };
    delete config['heartbeat.interval.ms'];
    // Not the orders connector's signal channel: a signal read there (a blocking snapshot that
    // `npm run tables -- add` asked for) would be carried out here too, and its records would
    // count toward this topic's snapshot.
    for (const key of Object.keys(config)) if (key.startsWith('signal.')) delete config[key];
    this.#connectors.set(connector, slot);
    this.#slots.add(slot);
    this.#topics.add(topic);
    const admin = await this.#kafkaAdmin();
    const started = performance.now();
    await putConnectorConfig(this.#stack.connectUrl, connector, config);

    let lastProgress = performance.now();
    let lastCount = 0;
    let lastGrowth = performance.now();
    for (;;) {
      const count = await endOffset(admin, topic);
      if (count >= rows) break;
      const status = await connectorStatus(this.#stack.connectUrl, connector);
      const failed = status?.tasks.find((task) => task.state === 'FAILED');
      if (failed) throw new Error(`${connector} failed: ${failed.trace?.split('\n')[0] ?? ''}`);
      if (count > lastCount) {
        lastCount = count;
        lastGrowth = performance.now();
      } else if (performance.now() - lastGrowth > SNAPSHOT_STALL_MS) {
        throw new Error(`${topic} stopped growing at ${count} of ${rows} records`);
      }
      if (performance.now() - lastProgress > PROGRESS_INTERVAL_MS) {
        const seconds = (performance.now() - started) / 1_000;
        this.#log(`  ${count} / ${rows} records after ${seconds.toFixed(0)} s (${Math.round(count / seconds)}/s)`);
        lastProgress = performance.now();
      }
      await sleep(250);
    }
    const snapshotMs = performance.now() - started;
    await this.#dropConnector(connector, slot);
    return { topic, rows, insertMs, snapshotMs, topicBytes: this.#topicBytes(topic) };
  }

  async #createDatabase(table: StartupTable): Promise<void> {
    const admin = this.#pool('postgres');
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${BENCH_DATABASE} OWNER orders_owner`);
    } finally {
      await admin.end();
    }
    const db = this.#pool(BENCH_DATABASE);
    try {
      // The real schema, as its owner, exactly as database/init.sh applies it; then what
      // 04-publication.sql does for a tables.list of the measured table alone (a psql script: its
      // list comes as a psql variable), as the owner too.
      await db.query(
        ['SET ROLE orders_owner;', ...SCHEMA_FILES.map((file) => readFileSync(file, 'utf8')), publish(table), 'RESET ROLE;'].join('\n'),
      );
    } finally {
      await db.end();
    }
  }

  async #insertRows(table: StartupTable, rows: number): Promise<number> {
    const db = this.#pool(BENCH_DATABASE);
    const started = performance.now();
    try {
      await insertTableRows(db, table, rows);
    } finally {
      await db.end();
    }
    return performance.now() - started;
  }

  /** Stops the connector, forgets its offsets, deletes it, and makes sure its slot is gone. */
  async #dropConnector(connector: string, slot: string): Promise<void> {
    await deleteConnector(this.#stack.connectUrl, connector);
    this.#connectors.delete(connector);
    await this.#dropSlot(slot);
  }

  async #dropSlot(slot: string): Promise<void> {
    const db = this.#pool('postgres');
    try {
      await waitFor(
        `replication slot ${slot} to be released`,
        async () => {
          const { rows } = await db.query<{ active: boolean }>('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [slot]);
          if (rows.length === 0) return true;
          if (rows[0]!.active) return false;
          await db.query('SELECT pg_drop_replication_slot($1)', [slot]);
          return true;
        },
        SLOT_RELEASE_TIMEOUT_MS,
      );
      this.#slots.delete(slot);
    } finally {
      await db.end();
    }
  }

  /** Bytes of the topic's log on disk (native stack: its Kafka data directory), or null. */
  #topicBytes(topic: string): number | null {
    const dir = `${process.env['STACK_DIR'] ?? `${REPO_ROOT}.stack`}/kafka/data/${topic}-0`;
    try {
      // Only the .log segments: index files are preallocated (10 MiB each) whatever the topic holds.
      return readdirSync(dir)
        .filter((name) => name.endsWith('.log'))
        .reduce((sum, name) => sum + statSync(`${dir}/${name}`).size, 0);
    } catch {
      return null;
    }
  }

  /** Deletes every connector, slot, topic and the database this run made. */
  async destroy(keepTopics = false): Promise<void> {
    for (const [connector, slot] of [...this.#connectors])
      await this.#dropConnector(connector, slot).catch((err: unknown) => this.#log(`  could not drop ${connector}: ${String(err)}`));
    for (const slot of [...this.#slots])
      await this.#dropSlot(slot).catch((err: unknown) => this.#log(`  could not drop slot ${slot}: ${String(err)}`));
    const admin = this.#pool('postgres');
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
    if (!keepTopics && this.#topics.size > 0) {
      const kafka = await this.#kafkaAdmin();
      const existing = new Set(await kafka.listTopics());
      const topics = [...this.#topics].filter((topic) => existing.has(topic));
      if (topics.length > 0) await kafka.deleteTopics({ topics });
      this.#topics.clear();
    }
    await this.#admin?.disconnect();
    this.#admin = undefined;
  }
}
