/**
 * The connection pool to Postgres, and the narrow interface the rest of the service uses, so route
 * tests can pass a fake. Every statement in this service is parameterised (see orders-repository.ts).
 */
import pg from 'pg';
import type { DatabaseConfig } from './config.js';
import type { Logger } from '@orders-live/service-kit';

/** Each request holds a connection for one short statement; keeps well under Postgres' max_connections (100), shared with Debezium. */
const POOL_MAX_CONNECTIONS = 10;
/** A database that does not accept a connection this fast is treated as unavailable (503), not waited on. */
export const CONNECT_TIMEOUT_MS = 2_000;
/** Every statement here is a primary-key lookup or one indexed page; anything slower is stuck. */
const STATEMENT_TIMEOUT_MS = 5_000;
/** Client-side backstop for when the server cannot even cancel the statement (a network partition). */
const QUERY_TIMEOUT_MS = STATEMENT_TIMEOUT_MS + 1_000;
/** Idle connections are closed after this long, so a quiet service holds none. */
export const IDLE_TIMEOUT_MS = 30_000;
/** Shown in pg_stat_activity. */
const APPLICATION_NAME = 'orders-api';

export interface QueryResultLike<R> {
  readonly rows: R[];
  readonly rowCount: number | null;
}

/** What the service needs of a pool: one parameterised statement at a time. pg.Pool satisfies it. */
export interface Database {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResultLike<R>>;
}

/** One connection taken from the pool for a transaction; release() gives it back (with an error: discards it). */
interface DatabaseConnection extends Database {
  release(err?: Error | boolean): void;
}

/** A pool that can also lend a connection of its own, for a transaction (transaction.ts). pg.Pool satisfies it. */
export interface TransactionalDatabase extends Database {
  connect(): Promise<DatabaseConnection>;
}

export function createPool(config: DatabaseConfig, log: Logger): pg.Pool {
  const pool = new pg.Pool({
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: config.password,
    max: POOL_MAX_CONNECTIONS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    application_name: APPLICATION_NAME,
  });
  // An idle connection that dies (Postgres restarted) is reported here; unhandled, it would end the process.
  const poolLog = log.child({ module: 'db' });
  pool.on('error', (err) => poolLog.warn({ err }, 'idle database connection failed; the pool replaces it'));
  return pool;
}
