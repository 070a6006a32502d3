/** For integration tests: the service in this process, against the real stack. Not part of the build. */
import type { AddressInfo } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { SERVICE_READY_TIMEOUT_MS, waitFor, type StackEndpoints } from '@orders-live/testkit';
import { buildApp, type App } from './app.js';
import { loadConfig } from './config.js';

export interface RunningApp {
  readonly app: App;
  readonly wsUrl: string;
  readonly httpUrl: string;
  close(): Promise<void>;
}

export async function startApp(stack: StackEndpoints, env: Record<string, string> = {}): Promise<RunningApp> {
  const config = loadConfig({
    KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    CONNECT_URL: stack.connectUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    ...env,
  });
  const kafka = new Kafka({ clientId: config.kafka.clientId, brokers: [...stack.kafkaBrokers], logLevel: logLevel.NOTHING });
  const app = buildApp(config, { kafka, log: pino({ level: config.logLevel }) });
  await app.http.listen({ host: config.host, port: config.port });
  const { port } = app.http.server.address() as AddressInfo;
  const httpUrl = `http://127.0.0.1:${port}`;
  // As long as a spawned service gets (the topic grows through the tier, and start-up replays it).
  await waitFor('the service to be ready', async () => (await fetch(`${httpUrl}/readyz`)).ok, SERVICE_READY_TIMEOUT_MS);
  return { app, httpUrl, wsUrl: `ws://127.0.0.1:${port}/ws`, close: () => app.http.close() };
}
