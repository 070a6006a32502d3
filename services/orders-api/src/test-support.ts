/** For integration tests: the API in this process, against the real Postgres of the stack. Not part of the build. */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { readEnvFile, waitFor, type StackEndpoints } from '@orders-live/testkit';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { createPool } from './db.js';

export interface RunningApi {
  readonly app: FastifyInstance;
  readonly url: string;
  close(): Promise<void>;
}

/** The orders_api role's password: the environment, else the repository's .env, else the demo default. */
function ordersApiPassword(): string {
  return process.env['ORDERS_API_DB_PASSWORD'] ?? readEnvFile()['ORDERS_API_DB_PASSWORD'] ?? 'orders_api';
}

/**
 * Starts the API on a free port as the least-privileged orders_api role (unless `env` says otherwise).
 * Waits for /readyz unless `waitReady` is false (for an API pointed at a database that is not there).
 */
export async function startApi(stack: StackEndpoints, env: Record<string, string> = {}, waitReady = true): Promise<RunningApi> {
  const config = loadConfig({
    PGHOST: stack.postgres.host,
    PGPORT: String(stack.postgres.port),
    PGDATABASE: stack.postgres.database,
    PGUSER: 'orders_api',
    PGPASSWORD: ordersApiPassword(),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    ...env,
  });
  const log = pino({ level: config.logLevel });
  const pool = createPool(config.database, log);
  const app = buildApp(config, { pool, log });
  app.addHook('onClose', async () => {
    await pool.end();
  });
  await app.listen({ host: config.host, port: config.port });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  if (waitReady) await waitFor('the orders API to be ready', async () => (await fetch(`${url}/readyz`)).ok);
  return { app, url, close: () => app.close() };
}
