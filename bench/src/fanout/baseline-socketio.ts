/**
 * The fan-out baseline: a minimal Socket.IO broadcaster of the kind the seed demos used. It reads
 * the same Debezium topic with kafkajs (eachMessage), JSON.stringify's each change and io.emit()s it
 * to every connected socket. No snapshot, no resume, no backpressure: what a user would otherwise
 * run. Socket.IO's own broadcast does encode each packet once for all sockets.
 *
 *   PORT (3100), KAFKA_BROKERS (127.0.0.1:19092), KAFKA_TOPIC (orders.public.orders)
 *   GET /readyz: 200 once the consumer has fetched from the topic's end.
 */
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Server } from 'socket.io';

interface Envelope {
  op: string;
  before: unknown;
  after: unknown;
  source?: { ts_ms?: number };
}

const port = Number(process.env['PORT'] ?? 3100);
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:19092').split(',');
const topic = process.env['KAFKA_TOPIC'] ?? 'orders.public.orders';

let ready = false;
const http = createServer((request, response) => {
  if (request.url === '/readyz') {
    response.writeHead(ready ? 200 : 503).end();
    return;
  }
  response.writeHead(404).end();
});
const io = new Server(http, { serveClient: false });

const kafka = new Kafka({ clientId: 'socketio-baseline', brokers, logLevel: logLevel.ERROR });
const consumer = kafka.consumer({ groupId: `socketio-baseline-${randomUUID()}` });
consumer.on(consumer.events.FETCH, () => {
  ready = true;
});

async function main(): Promise<void> {
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.value === null) return; // tombstone
      // With the value schema embedded (the worker's setting) the envelope is the payload.
      const parsed = JSON.parse(message.value.toString()) as Envelope & { payload?: Envelope };
      const event = parsed.payload ?? parsed;
      const change = { op: event.op, before: event.before, after: event.after, commitTime: event.source?.ts_ms };
      io.emit('change', JSON.stringify(change));
    },
  });
}

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  void consumer
    .disconnect()
    .catch(() => undefined)
    .finally(() => {
      void io.close();
      process.exit(0);
    });
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

main().catch((err: unknown) => {
  process.stderr.write(`socketio-baseline: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
