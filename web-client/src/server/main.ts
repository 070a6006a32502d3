/** Entry point: config from the environment, listen, close on SIGTERM/SIGINT. */
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`web-client: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const app = buildApp(config, { log });

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
  log.info({ port: config.port, websocketUrl: config.websocketUrl, ordersApiUrl: config.ordersApiUrl }, 'web-client listening');
}

main().catch((err: unknown) => {
  process.stderr.write(`web-client: fatal: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
