/**
 * The service's configuration: parsed once from the environment, validated, frozen, passed down.
 * Nothing else in the service reads process.env. A bad value fails start-up naming the variable.
 */
import { hostname } from 'node:os';
import * as z from 'zod';
import { readAuthSettings, type AuthSettings } from '@orders-live/auth';
import { DEFAULT_CONNECTOR_SILENT_AFTER_MS } from './health.js';
import { commaList, envFields, listenConfig, listenEnv, parseEnv, type ListenConfig } from '@orders-live/service-kit';

export { ConfigError } from '@orders-live/service-kit';

/** How often an idle subscriber hears the latest cursor, so it can tell "quiet" from "stuck". */
const DEFAULT_HEARTBEAT_INTERVAL_MS = 15_000;
/** Client frames are small (subscribe, unsubscribe); anything bigger is a mistake or an attack. */
const DEFAULT_MAX_CLIENT_FRAME_BYTES = 16 * 1024;
/** Rows per snapshot frame: keeps each frame well under a megabyte for this table's row size. */
const DEFAULT_SNAPSHOT_CHUNK_ROWS = 500;

/** Recent changes kept per replica for resuming clients: minutes of traffic at typical rates. */
const DEFAULT_RING_CAPACITY = 10_000;
/** Unsent bytes per socket before a client is closed as slow (it resumes from its cursor). */
const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
/** A page needs one or two; more from one socket is a bug or a flood. */
const DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION = 16;
/** How long a resume cursor ahead of this replica may wait for the replica to catch up. */
const DEFAULT_RESUME_HOLD_TIMEOUT_MS = 30_000;
/** How often a checkpoint of the view is written while its position moves: a restart re-reads at most this much. */
const DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000;

/** How often TABLES_FILE is read again: a table added to a running system is served within this. */
const DEFAULT_TABLES_FILE_POLL_MS = 5_000;

const { positiveInt, origin } = envFields;

const envSchema = z.object({
  ...listenEnv(3001),
  KAFKA_BROKERS: z
    .string()
    .default('localhost:9092')
    .transform(commaList)
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port')).min(1)),
  KAFKA_TOPIC: z.string().min(1).default('orders.public.orders'),
  // The tables served beside KAFKA_TOPIC's (orders): schema.table each, read from <prefix>.<schema>.<table>,
  // the prefix being KAFKA_TOPIC's. database/tables.list is the list both stacks pass here.
  TABLES: z
    .string()
    .optional()
    .transform(commaList)
    .pipe(z.array(z.string().regex(/^[a-z_][a-z0-9_$]*\.[a-z_][a-z0-9_$]*$/, 'expected schema.table names such as public.customers'))),
  // database/tables.list (schema.table a line), read at start and every TABLES_FILE_POLL_MS: a table
  // added to it (npm run tables -- add) is served from then on, one removed no longer. Beside TABLES.
  TABLES_FILE: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value)),
  TABLES_FILE_POLL_MS: positiveInt.default(DEFAULT_TABLES_FILE_POLL_MS),
  // The column a window counts by when it names none, per table: table=column, comma-separated.
  COUNT_BY: z
    .string()
    .default('orders=status')
    .transform(commaList)
    .pipe(z.array(z.string().regex(/^[a-z_][a-z0-9_$.]*=[a-z_][a-z0-9_$]*$/, 'expected table=column pairs such as customers=tier'))),
  KAFKA_CLIENT_ID: z.string().min(1).default('websocket-service'),
  // Debezium's transaction topic (provide.transaction.metadata): topic.prefix + ".transaction".
  KAFKA_TRANSACTION_TOPIC: z.string().min(1).default('orders.transaction'),
  // Kafka Connect's REST API, to tell a stopped Connect from a stopped Postgres (freshness.ts). Optional.
  CONNECT_URL: z.url().optional(),
  CONNECTOR_NAME: z.string().min(1).default('orders'),
  // Debezium's heartbeat topic: topic.heartbeat.prefix (default __debezium-heartbeat) + "." + topic.prefix.
  CONNECTOR_HEARTBEAT_TOPIC: z.string().min(1).default('__debezium-heartbeat.orders'),
  CONNECTOR_SILENT_AFTER_MS: positiveInt.default(DEFAULT_CONNECTOR_SILENT_AFTER_MS),
  SERVER_ID: z.string().min(1).default(hostname()),
  HEARTBEAT_INTERVAL_MS: positiveInt.default(DEFAULT_HEARTBEAT_INTERVAL_MS),
  MAX_CLIENT_FRAME_BYTES: positiveInt.default(DEFAULT_MAX_CLIENT_FRAME_BYTES),
  SNAPSHOT_CHUNK_ROWS: positiveInt.default(DEFAULT_SNAPSHOT_CHUNK_ROWS),
  RING_CAPACITY: positiveInt.default(DEFAULT_RING_CAPACITY),
  MAX_BUFFERED_BYTES: positiveInt.default(DEFAULT_MAX_BUFFERED_BYTES),
  MAX_SUBSCRIPTIONS_PER_CONNECTION: positiveInt.default(DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION),
  RESUME_HOLD_TIMEOUT_MS: positiveInt.default(DEFAULT_RESUME_HOLD_TIMEOUT_MS),
  // A directory of this replica's own (not shared between replicas); unset or empty: no checkpoint.
  CHECKPOINT_DIR: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value)),
  CHECKPOINT_INTERVAL_MS: positiveInt.default(DEFAULT_CHECKPOINT_INTERVAL_MS),
  ACCEPTED_GAPS: z
    .string()
    .optional()
    .transform(commaList)
    .pipe(z.array(z.string().regex(/^\d+:\d+$/, 'expected partition:offset positions such as 0:1234'))),
  // Unset or empty: any Origin (the demo). Set: upgrades from other origins are refused (origin-policy.ts).
  WS_ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform((value) => commaList(value).map((entry) => entry.toLowerCase()))
    .pipe(z.array(origin))
    .transform((origins) => (origins.length > 0 ? origins : undefined)),
});

/** A table the service serves: its name on the wire, its topic, Debezium's name for it in END markers, its default counts. */
export interface TableConfig {
  /** "orders" for public.orders; "schema.table" outside the public schema. */
  readonly name: string;
  readonly topic: string;
  /** "<schema>.<table>": how Debezium's transaction END markers count its events. */
  readonly collection: string;
  readonly countBy: string | null;
}

export interface Config extends ListenConfig {
  readonly kafka: {
    readonly brokers: readonly string[];
    /** The first table's topic (orders'); `tables` lists every table served, this one first. */
    readonly topic: string;
    readonly tables: readonly TableConfig[];
    /** The tables list to follow (TABLES_FILE) and how often it is read; undefined: `tables` only. */
    readonly tablesFile: { readonly path: string; readonly pollMs: number } | undefined;
    /** Per table name, the column windows count by when they name none (COUNT_BY). */
    readonly countBy: ReadonlyMap<string, string>;
    readonly transactionTopic: string;
    readonly clientId: string;
  };
  /**
   * The connector's heartbeat topic, how long its topics may stand still before /readyz calls it
   * silent, and where Kafka Connect answers about it (undefined: unknown to this replica).
   */
  readonly connector: {
    readonly heartbeatTopic: string;
    readonly silentAfterMs: number;
    readonly connectUrl: string | undefined;
    readonly name: string;
  };
  readonly serverId: string;
  readonly heartbeatIntervalMs: number;
  readonly maxClientFrameBytes: number;
  readonly snapshotChunkRows: number;
  readonly ringCapacity: number;
  readonly maxBufferedBytes: number;
  readonly maxSubscriptionsPerConnection: number;
  readonly resumeHoldTimeoutMs: number;
  /**
   * Where the view's checkpoint is kept (checkpoint-store.ts) and how often it is written; undefined:
   * no checkpoint, every start reads the topic from its beginning.
   */
  readonly checkpoint: { readonly dir: string; readonly intervalMs: number } | undefined;
  /** Access tokens (AUTH_JWT_SECRET, AUTH_ISSUER, AUTH_AUDIENCE); undefined: access control is off. */
  readonly auth: AuthSettings | undefined;
  /**
   * Topic positions (partition:offset) of records that do not decode and that an operator has
   * inspected and accepted as no lost change (degraded-state.ts): still counted and logged, no gap.
   */
  readonly acceptedGaps: readonly string[];
  /** Origins a WebSocket upgrade may come from; undefined: any. */
  readonly allowedOrigins: readonly string[] | undefined;
}

/**
 * The tables served: KAFKA_TOPIC's first, then each of `tables` ("schema.table"; a repeat of the
 * first is the same table), each read from <KAFKA_TOPIC's prefix>.<schema>.<table>.
 */
export function tablesOf(topic: string, tables: readonly string[], counts: ReadonlyMap<string, string>): TableConfig[] {
  const prefix = topic.slice(0, topic.indexOf('.'));
  const first = topic.slice(topic.indexOf('.') + 1);
  const collections = [first, ...tables.filter((collection) => collection !== first)];
  return [...new Set(collections)].map((collection) => {
    const name = collection.startsWith('public.') ? collection.slice('public.'.length) : collection;
    return Object.freeze({
      name,
      topic: collection === first ? topic : `${prefix}.${collection}`,
      collection,
      countBy: counts.get(name) ?? null,
    });
  });
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const auth = readAuthSettings(env);
  const e = parseEnv(envSchema, env, auth);
  const countBy: ReadonlyMap<string, string> = new Map(e.COUNT_BY.map((pair) => pair.split('=') as [string, string]));
  return Object.freeze({
    ...listenConfig(e),
    kafka: Object.freeze({
      brokers: Object.freeze(e.KAFKA_BROKERS),
      topic: e.KAFKA_TOPIC,
      tables: Object.freeze(tablesOf(e.KAFKA_TOPIC, e.TABLES, countBy)),
      tablesFile: e.TABLES_FILE === undefined ? undefined : Object.freeze({ path: e.TABLES_FILE, pollMs: e.TABLES_FILE_POLL_MS }),
      countBy,
      transactionTopic: e.KAFKA_TRANSACTION_TOPIC,
      clientId: e.KAFKA_CLIENT_ID,
    }),
    connector: Object.freeze({
      heartbeatTopic: e.CONNECTOR_HEARTBEAT_TOPIC,
      silentAfterMs: e.CONNECTOR_SILENT_AFTER_MS,
      connectUrl: e.CONNECT_URL,
      name: e.CONNECTOR_NAME,
    }),
    serverId: e.SERVER_ID,
    heartbeatIntervalMs: e.HEARTBEAT_INTERVAL_MS,
    maxClientFrameBytes: e.MAX_CLIENT_FRAME_BYTES,
    snapshotChunkRows: e.SNAPSHOT_CHUNK_ROWS,
    ringCapacity: e.RING_CAPACITY,
    maxBufferedBytes: e.MAX_BUFFERED_BYTES,
    maxSubscriptionsPerConnection: e.MAX_SUBSCRIPTIONS_PER_CONNECTION,
    resumeHoldTimeoutMs: e.RESUME_HOLD_TIMEOUT_MS,
    checkpoint: e.CHECKPOINT_DIR === undefined ? undefined : Object.freeze({ dir: e.CHECKPOINT_DIR, intervalMs: e.CHECKPOINT_INTERVAL_MS }),
    auth: auth.ok ? auth.settings : undefined,
    acceptedGaps: Object.freeze(e.ACCEPTED_GAPS),
    allowedOrigins: e.WS_ALLOWED_ORIGINS === undefined ? undefined : Object.freeze(e.WS_ALLOWED_ORIGINS),
  });
}
