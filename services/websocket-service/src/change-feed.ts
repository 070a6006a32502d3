/**
 * Reads the orders topic from its beginning into the view and hands each batch's changes to a sink.
 *
 * Every process reads every partition on its own: the consumer group id is unique per process and
 * no offset is ever committed, so replicas never split the stream between them and a restart
 * rebuilds the view from the topic (compacted, so it holds the table).
 *
 * Ready means caught up: every partition applied up to its end offset as of start-up.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from './logger.js';
import { decodeRecord } from './debezium/decoder.js';
import type { OrdersView, TableChange } from './view.js';

/** Pause between looks for a topic that does not exist yet (the connector creates it on first write). */
export const TOPIC_WAIT_INTERVAL_MS = 1_000;

/**
 * Longest a fetch waits on an idle topic. Data returns at once regardless (minBytes = 1); this only
 * bounds how long shutdown waits for an in-flight fetch (kafkajs' default is 5 s).
 */
export const FETCH_MAX_WAIT_MS = 1_000;

export interface ChangeFeedOptions {
  readonly topic: string;
  readonly groupPrefix: string;
}

export interface ChangeFeedStats {
  recordsApplied: number;
  decodeErrors: number;
}

export class ChangeFeed {
  readonly #kafka: Kafka;
  readonly #view: OrdersView;
  readonly #log: Logger;
  readonly #options: ChangeFeedOptions;
  readonly #onChanges: (changes: TableChange[]) => void;
  readonly stats: ChangeFeedStats = { recordsApplied: 0, decodeErrors: 0 };

  #admin: Admin | undefined;
  #consumer: Consumer | undefined;
  /** partition → end offset as of start-up; undefined until known. */
  #startEnd: Map<number, bigint> | undefined;
  /** partition → next offset to apply */
  readonly #next = new Map<number, bigint>();
  #caughtUp = false;
  #stopping = false;

  constructor(kafka: Kafka, view: OrdersView, log: Logger, options: ChangeFeedOptions, onChanges: (changes: TableChange[]) => void) {
    this.#kafka = kafka;
    this.#view = view;
    this.#log = log;
    this.#options = options;
    this.#onChanges = onChanges;
  }

  /** True once the view holds everything the topic held when the service started. */
  get caughtUp(): boolean {
    return this.#caughtUp;
  }

  /** Connects, waits for the topic, and starts consuming. Resolves once consumption has begun. */
  async start(): Promise<void> {
    const topic = this.#options.topic;
    this.#admin = this.#kafka.admin();
    await this.#admin.connect();
    await this.#waitForTopic(topic);
    if (this.#stopping) return;

    const ends = await this.#admin.fetchTopicOffsets(topic);
    this.#startEnd = new Map(ends.map((p) => [p.partition, BigInt(p.high)]));
    this.#log.info({ topic, endOffsets: Object.fromEntries(ends.map((p) => [p.partition, p.high])) }, 'reading topic from the beginning');
    this.#checkCaughtUp();

    this.#consumer = this.#kafka.consumer({
      groupId: `${this.#options.groupPrefix}-${randomUUID()}`,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
    });
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topic, fromBeginning: true });
    await this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: async (payload) => this.#onBatch(payload),
    });
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#consumer?.disconnect();
    await this.#admin?.disconnect();
  }

  async #waitForTopic(topic: string): Promise<void> {
    let warned = false;
    while (!this.#stopping) {
      const topics = await this.#admin!.listTopics();
      if (topics.includes(topic)) return;
      if (!warned) {
        this.#log.warn({ topic }, 'topic does not exist yet; waiting for the connector to create it');
        warned = true;
      }
      await new Promise((resolve) => setTimeout(resolve, TOPIC_WAIT_INTERVAL_MS));
    }
  }

  #onBatch({ batch }: EachBatchPayload): void {
    const changes: TableChange[] = [];
    const partition = batch.partition;
    for (const message of batch.messages) {
      const offset = BigInt(message.offset);
      const decoded = decodeRecord(message.key, message.value);
      if (decoded.ok) {
        changes.push(...this.#view.apply(decoded.record, { partition, offset }, Number(message.timestamp)));
        this.stats.recordsApplied += 1;
      } else {
        this.stats.decodeErrors += 1;
        this.#log.warn({ topic: batch.topic, partition, offset: message.offset, code: decoded.error.code, reason: decoded.error.message }, 'skipping a record that does not decode');
      }
      this.#next.set(partition, offset + 1n);
    }
    this.#onChanges(changes);
    this.#checkCaughtUp();
  }

  #checkCaughtUp(): void {
    if (this.#caughtUp || !this.#startEnd) return;
    for (const [partition, end] of this.#startEnd) {
      if ((this.#next.get(partition) ?? 0n) < end) return;
    }
    this.#caughtUp = true;
    this.#log.info({ cursor: this.#view.cursor, rows: this.#view.size, records: this.stats.recordsApplied }, 'caught up with the topic');
  }
}
