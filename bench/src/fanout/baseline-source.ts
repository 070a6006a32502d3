/**
 * What the fan-out baselines share: their settings, reading the Debezium topic the way a user's
 * own server would (kafkajs eachMessage, JSON.parse of each record, no transaction grouping), a
 * /readyz for the benchmark to wait on, and shutting down on a signal. Each baseline only decides
 * how a change reaches its sockets.
 *
 *   PORT (3100), KAFKA_BROKERS (127.0.0.1:19092), KAFKA_TOPIC (orders.public.orders)
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

interface Envelope {
  op: string;
  before: unknown;
  after: unknown;
  source?: { ts_ms?: number };
}

/** One row change as the baselines send it: Debezium's op letter, the row before and after, the commit time (epoch ms). */
export interface BaselineChange {
  readonly op: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly commitTime: number | undefined;
}

export interface BaselineSettings {
  readonly port: number;
  readonly brokers: readonly string[];
  readonly topic: string;
}

export function baselineSettings(env: NodeJS.ProcessEnv = process.env): BaselineSettings {
  return {
    port: Number(env['PORT'] ?? 3100),
    brokers: (env['KAFKA_BROKERS'] ?? '127.0.0.1:19092').split(','),
    topic: env['KAFKA_TOPIC'] ?? 'orders.public.orders',
  };
}

/** A record's value as a change; null for a tombstone. With the value schema embedded (the worker's setting) the envelope is the payload. */
export function decodeChange(value: Buffer | null): BaselineChange | null {
  if (value === null) return null;
  const parsed = JSON.parse(value.toString()) as Envelope & { payload?: Envelope };
  const event = parsed.payload ?? parsed;
  return { op: event.op, before: event.before, after: event.after, commitTime: event.source?.ts_ms };
}

/**
 * Runs a baseline: an HTTP server (200 on /readyz once the consumer has fetched from the topic's
 * end, from a consumer group of its own), `attach` hooking the baseline's sockets onto it, and
 * every change of the topic from then on handed to the function `attach` returns.
 */
export function runBaseline(
  name: string,
  attach: (http: HttpServer) => { onChange: (change: BaselineChange) => void; close: () => void },
): void {
  const settings = baselineSettings();
  let ready = false;
  const http = createServer((request, response) => {
    if (request.url === '/readyz') {
      response.writeHead(ready ? 200 : 503).end();
      return;
    }
    response.writeHead(404).end();
  });
  const baseline = attach(http);
  const kafka = new Kafka({ clientId: name, brokers: [...settings.brokers], logLevel: logLevel.ERROR });
  const consumer = kafka.consumer({ groupId: `${name}-${randomUUID()}` });
  consumer.on(consumer.events.FETCH, () => {
    ready = true;
  });

  const main = async () => {
    await new Promise<void>((resolve) => http.listen(settings.port, '127.0.0.1', resolve));
    await consumer.connect();
    await consumer.subscribe({ topic: settings.topic, fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const change = decodeChange(message.value);
        if (change) baseline.onChange(change);
      },
    });
  };

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    void consumer
      .disconnect()
      .catch(() => undefined)
      .finally(() => {
        baseline.close();
        process.exit(0);
      });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  main().catch((err: unknown) => {
    process.stderr.write(`${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
