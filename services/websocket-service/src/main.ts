/** Entry point: config from the environment, the real Kafka client, listen, close on SIGTERM/SIGINT. */
import { Kafka } from 'kafkajs';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger, kafkaLogCreator } from './logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`websocket-service: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const kafka = new Kafka({
    clientId: config.kafka.clientId,
    brokers: [...config.kafka.brokers],
    logCreator: kafkaLogCreator(log),
  });
  const app = buildApp(config, { kafka, log });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    app.http.close().then(
      () => log.info('closed'),
      (err: unknown) => {
        log.error({ err }, 'error while closing');
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await app.http.listen({ host: config.host, port: config.port });
  log.info({ port: config.port, topic: config.kafka.topic, brokers: config.kafka.brokers }, 'websocket-service listening');
}

main().catch((err: unknown) => {
  process.stderr.write(`websocket-service: fatal: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
