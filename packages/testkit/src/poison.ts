/**
 * Puts a record on the change topic by hand, as an operator (or a bug) might: what the service does
 * with a record that does not decode is tested with it. Returns the record's offset.
 */
import { Kafka, logLevel } from 'kafkajs';
import type { StackEndpoints } from './stack.js';

export async function produceRaw(stack: Pick<StackEndpoints, 'kafkaBrokers' | 'topic'>, key: string, value: string): Promise<string> {
  const kafka = new Kafka({ clientId: 'testkit-poison', brokers: [...stack.kafkaBrokers], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  try {
    const [sent] = await producer.send({ topic: stack.topic, messages: [{ key, value }] });
    return sent!.baseOffset!;
  } finally {
    await producer.disconnect();
  }
}
