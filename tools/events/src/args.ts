/** Command-line options of `npm run events -- …`, parsed with node:util (no framework needed). */
import { UsageError, parseFlags } from '@orders-live/cli-kit';

type StartAt = 'beginning' | 'now';

export interface EventsOptions {
  /** --help: print USAGE and do nothing else. */
  readonly help: boolean;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly startAt: StartAt;
}

/** The connector's topic.prefix (register-orders-connector.json). */
const TOPIC_PREFIX = 'orders';
const DEFAULT_TOPIC = `${TOPIC_PREFIX}.public.orders`;

export const USAGE = `usage: npm run events -- [--from-beginning] [--brokers <host:port,…>] [--table <schema.table> | --topic <name>]
  Prints each raw change event of the topic as it arrives: partition and offset, key, op,
  before and after, and the source position (lsn, txId, snapshot). Ctrl-C stops.
  --from-beginning  start at the oldest record still in the topic (default: from now on)
  --brokers         Kafka bootstrap servers (default: $KAFKA_BROKERS, else the native stack,
                    127.0.0.1:$STACK_KAFKA_PORT; with docker compose, add compose.host-access.yml
                    and use 127.0.0.1:9092 — or open Kafka UI on http://localhost:8080)
  --table           a streamed table's topic: --table public.customers reads orders.public.customers
                    (the tables are database/tables.list's)
  --topic           the topic (default ${DEFAULT_TOPIC})
  --help, -h        print this and exit`;

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): EventsOptions {
  const values = parseFlags(argv, {
    'from-beginning': { type: 'boolean' },
    brokers: { type: 'string' },
    topic: { type: 'string' },
    table: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const brokerList = values.brokers ?? env['KAFKA_BROKERS'] ?? `127.0.0.1:${env['STACK_KAFKA_PORT'] ?? '19092'}`;
  const brokers = brokerList
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0 || brokers.some((b) => !/^[^\s:]+:\d+$/.test(b))) {
    throw new UsageError(`--brokers expects host:port[,host:port…], not "${brokerList}"`);
  }
  if (values.table !== undefined && values.topic !== undefined) throw new UsageError('--table and --topic name the same thing: give one');
  if (values.table !== undefined && !/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/.test(values.table)) {
    throw new UsageError(`--table expects schema.table (e.g. public.customers), not "${values.table}"`);
  }
  // Debezium's topic of a table: <topic.prefix>.<schema>.<table> (register-orders-connector.json's prefix is "orders").
  const topic = values.topic ?? (values.table === undefined ? DEFAULT_TOPIC : `${TOPIC_PREFIX}.${values.table}`);
  if (!/^[\w.-]{1,249}$/.test(topic)) throw new UsageError(`--topic is not a Kafka topic name: "${topic}"`);
  return { help: values.help ?? false, brokers, topic, startAt: values['from-beginning'] ? 'beginning' : 'now' };
}
