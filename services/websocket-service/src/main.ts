/** Entry point: the service kit runs it (config, logger, listen, close on SIGTERM/SIGINT) with the real Kafka client. */
import { Kafka } from 'kafkajs';
import { runService } from '@orders-live/service-kit';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { kafkaLogCreator } from './logger.js';

await runService({
  name: 'websocket-service',
  loadConfig,
  build: (config, log) => {
    const kafka = new Kafka({ clientId: config.kafka.clientId, brokers: [...config.kafka.brokers], logCreator: kafkaLogCreator(log) });
    const { http } = buildApp(config, { kafka, log });
    return { listen: () => http.listen({ host: config.host, port: config.port }), close: () => http.close() };
  },
  describe: (config) => ({ port: config.port, topic: config.kafka.topic, brokers: config.kafka.brokers }),
});
