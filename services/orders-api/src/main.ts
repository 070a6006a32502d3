/** Entry point: config from the environment, the Postgres pool, listen, close on SIGTERM/SIGINT. */
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createPool } from './db.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`orders-api: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const pool = createPool(config.database, log);
  const app = buildApp(config, { pool, log });
  // In-flight requests finish first (fastify closes the server before onClose), then the pool ends.
  app.addHook('onClose', async () => {
    await pool.end();
  });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    app.close().then(
      () => log.info('closed'),
      (err: unknown) => {
        log.error({ err }, 'error while closing');
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await app.listen({ host: config.host, port: config.port });
  log.info(
    { port: config.port, database: { host: config.database.host, port: config.database.port, database: config.database.database, user: config.database.user } },
    'orders-api listening',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`orders-api: fatal: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
