/**
 * The rows a table holds when it is added: Debezium streams changes made after the table joined its
 * publication and its include list, and does not read a table that joins a running connector by
 * itself (snapshot.mode=initial snapshots once, at the connector's first start). So `add` asks for an
 * ad hoc blocking snapshot of the table through the connector's Kafka signal channel
 * (signal.kafka.topic; the record's key is the connector's topic.prefix): streaming pauses, the
 * table is read like an initial snapshot (op "r" records), streaming resumes. No signal table, so the
 * debezium role keeps SELECT only (Debezium: "Sending signals to a Debezium connector", "Blocking
 * snapshots"). Debezium keeps the signal's offset with the connector's own, so a restart does not
 * repeat it.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

/** A table's rows reach its topic within seconds; the bound is for a large table on a busy machine. */
const SNAPSHOT_POLL_MS = 250;

export interface SnapshotRequest {
  readonly brokers: readonly string[];
  readonly signalTopic: string;
  /** The connector's topic.prefix: the key its Kafka signal channel acts on. */
  readonly topicPrefix: string;
  readonly table: string;
}

/** Sum of the end offsets of `topic` (0 while it does not exist). */
async function endOffset(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) return 0;
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Sends the signal and waits until the table's topic has gained `rows` records (what the snapshot
 * writes for a table of that many rows), or `timeoutMs` passes; resolves to the records it saw.
 */
export async function snapshotTable(request: SnapshotRequest, rows: number, timeoutMs: number): Promise<number> {
  const kafka = new Kafka({ clientId: 'orders-tables', brokers: [...request.brokers], logLevel: logLevel.ERROR });
  const topic = `${request.topicPrefix}.${request.table}`;
  const before = await endOffset(kafka, topic);
  const producer = kafka.producer();
  await producer.connect();
  try {
    const signal = { id: randomUUID(), type: 'execute-snapshot', data: { 'data-collections': [request.table], type: 'blocking' } };
    await producer.send({ topic: request.signalTopic, messages: [{ key: request.topicPrefix, value: JSON.stringify(signal) }] });
  } finally {
    await producer.disconnect();
  }
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (seen < rows && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, SNAPSHOT_POLL_MS));
    seen = (await endOffset(kafka, topic)) - before;
  }
  return seen;
}
