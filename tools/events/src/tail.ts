/**
 * Follows the change topic with kafkajs and hands each record, formatted, to `write`.
 *
 * The start is explicit rather than left to a consumer group's reset policy: the end (or start)
 * offsets are read first, and the consumer seeks there, so "from now" means every record written
 * after tailEvents() resolved — nothing slips between joining the group and the first fetch. The
 * group is this run's own and commits nothing: the tool only looks, and never moves anyone's offsets.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { EventsOptions } from './args.js';
import { formatRecord } from './format.js';

export interface Tail {
  /** Where each partition starts, as read before the consumer began. */
  readonly startOffsets: ReadonlyMap<number, string>;
  stop(): Promise<void>;
}

/** kafkajs says a lot at INFO; the tool's output is the events, so only its problems are shown. */
const KAFKA_LOG_LEVEL = logLevel.ERROR;

export async function tailEvents(
  options: Pick<EventsOptions, 'brokers' | 'topic' | 'startAt'>,
  write: (text: string) => void,
): Promise<Tail> {
  const kafka = new Kafka({ clientId: 'orders-events', brokers: [...options.brokers], logLevel: KAFKA_LOG_LEVEL });
  const admin = kafka.admin();
  await admin.connect();
  let offsets;
  try {
    offsets = await admin.fetchTopicOffsets(options.topic);
  } finally {
    await admin.disconnect();
  }
  const startOffsets = new Map(offsets.map((o) => [o.partition, options.startAt === 'beginning' ? o.low : o.high]));

  const consumer = kafka.consumer({ groupId: `orders-events-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: options.startAt === 'beginning' });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      write(
        formatRecord({
          topic,
          partition,
          offset: message.offset,
          timestamp: message.timestamp,
          key: message.key === null ? null : message.key.toString('utf8'),
          value: message.value === null ? null : message.value.toString('utf8'),
        }),
      );
    },
  });
  for (const [partition, offset] of startOffsets) consumer.seek({ topic: options.topic, partition, offset });
  return {
    startOffsets,
    stop: () => consumer.disconnect(),
  };
}
