/**
 * Reads one Kafka topic, every partition, on its own: the consumer group id is unique per process and
 * no offset is ever committed, so replicas never split a topic between them and a restart reads it
 * afresh. Used twice: the table's topic from its beginning (change-feed.ts) and Debezium's transaction
 * topic from a recent time (transaction-feed.ts).
 *
 * Caught up means every partition read up to its end offset as of the first start.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from '../logger.js';
import type { TopicFacts } from '../table/checkpoint.js';

/** Pause between looks for a topic that does not exist yet (the connector creates it on first write). */
const TOPIC_WAIT_INTERVAL_MS = 1_000;
/**
 * Longest a fetch waits on an idle topic. Data returns at once regardless (minBytes = 1); this bounds
 * how long shutdown waits for an in-flight fetch (kafkajs' default is 5 s), and how often an idle
 * reader shows that Kafka still answers.
 */
const FETCH_MAX_WAIT_MS = 1_000;
/**
 * The consumer's group session. The group is this process's alone and only hands it every
 * partition, but after a Kafka restart the coordinator reloads it with the old member, and a
 * consumer that rejoins as a new member (kafkajs does after a crash) waits until that one's session
 * expires: kafkajs' default of 30 s was that wait. 6 s is the broker's minimum
 * (group.min.session.timeout.ms); heartbeats every 2 s keep a live consumer well inside it.
 */
const CONSUMER_SESSION_TIMEOUT_MS = 6_000;
/**
 * Most a fetch brings from the partition. kafkajs' default of 1 MiB is ~160 records that carry their
 * schema (6.5 KB each), so a start-up replay was thousands of round trips; 4 MiB is ~600 (16 MiB was
 * no faster and held more memory). A live fetch returns as soon as anything is there, so this adds
 * no latency.
 */
const FETCH_MAX_BYTES_PER_PARTITION = 4 * 1024 * 1024;
const FETCH_MAX_BYTES = 2 * FETCH_MAX_BYTES_PER_PARTITION;
const CONSUMER_HEARTBEAT_INTERVAL_MS = 2_000;
/** First pause before retrying to start when Kafka is unreachable; it doubles up to the max. */
const START_RETRY_INITIAL_MS = 500;
const START_RETRY_MAX_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Kafka counts as reachable while fetches keep completing; an idle fetch returns every
 * FETCH_MAX_WAIT_MS, so this many ms without one means the broker is gone (or the consumer stuck).
 */
export const KAFKA_STALL_MS = 10_000;

export interface TopicReaderOptions {
  readonly topic: string;
  readonly groupPrefix: string;
  /** Where a first start begins: the topic's beginning, or the first offset at or after a time (epoch ms). */
  readonly startAt: () => 'beginning' | number;
  /**
   * Where a first start may carry on instead (a checkpoint, checkpoint-store.ts): given the topic as
   * Kafka describes it now, the next offset per partition, or undefined to start at startAt.
   */
  readonly resumeFrom?: (facts: TopicFacts) => Promise<ReadonlyMap<number, bigint> | undefined>;
}

export interface TopicReaderDeps {
  readonly kafka: Kafka;
  readonly log: Logger;
  readonly now: () => number;
  /** Each fetch, in order; `lag`: records of the partition after this batch, already in Kafka. */
  readonly onBatch: (batch: EachBatchPayload['batch'], lag: number) => void;
  /** Called once, when the reader first reaches the topic's end as of its first start. */
  readonly onCaughtUp?: () => void;
}

export class TopicReader {
  readonly #deps: TopicReaderDeps;
  readonly #options: TopicReaderOptions;

  #admin: Admin | undefined;
  #consumer: Consumer | undefined;
  /** partition → end offset as of the first start; undefined until known. */
  #startEnd: Map<number, bigint> | undefined;
  /** partition → next offset to read */
  readonly #next = new Map<number, bigint>();
  #caughtUp = false;
  #stopping = false;
  #lastFetchAt: number | undefined;
  #lag = 0;
  #topicSeen = false;
  /** The topic as Kafka described it at the first start (with its cluster id when resumeFrom is given). */
  #facts: TopicFacts | undefined;

  constructor(deps: TopicReaderDeps, options: TopicReaderOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  get topic(): string {
    return this.#options.topic;
  }

  /** True once everything the topic held at the first start has been read. */
  get caughtUp(): boolean {
    return this.#caughtUp;
  }

  /** The topic existed when last looked for (false while waiting for the connector to create it). */
  get topicExists(): boolean {
    return this.#topicSeen;
  }

  get kafkaReachable(): boolean {
    return this.fetchAgeMs !== undefined && this.fetchAgeMs <= KAFKA_STALL_MS;
  }

  /** ms since a fetch last completed; undefined before the first. */
  get fetchAgeMs(): number | undefined {
    return this.#lastFetchAt === undefined ? undefined : this.#deps.now() - this.#lastFetchAt;
  }

  /** Records behind the end of the topic, as of the last batch. */
  get lag(): number {
    return this.#lag;
  }

  /** The topic as Kafka described it at the first start; undefined before. */
  get facts(): TopicFacts | undefined {
    return this.#facts;
  }

  /**
   * partition → next offset to read, for every partition: where the reader stands now (a partition
   * it has read nothing of stands where it began). Undefined before the first start.
   */
  positions(): Map<number, bigint> | undefined {
    if (!this.#facts) return undefined;
    return new Map(this.#facts.partitions.map(({ partition, low }) => [partition, this.#next.get(partition) ?? low]));
  }

  /**
   * Connects, waits for the topic, and starts consuming; resolves once consumption has begun. If
   * Kafka cannot be reached it keeps retrying (backoff up to START_RETRY_MAX_MS) until stop().
   */
  async start(): Promise<void> {
    let delayMs = START_RETRY_INITIAL_MS;
    while (!this.#stopping) {
      try {
        await this.#startOnce();
        return;
      } catch (err) {
        this.#deps.log.warn({ err, topic: this.topic, retryInMs: delayMs }, 'cannot read the topic yet; retrying');
        await this.#disconnect();
        await sleep(delayMs);
        delayMs = Math.min(delayMs * 2, START_RETRY_MAX_MS);
      }
    }
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#disconnect();
  }

  async #startOnce(): Promise<void> {
    const topic = this.#options.topic;
    const { kafka, log } = this.#deps;
    this.#admin = kafka.admin();
    await this.#admin.connect();
    await this.#waitForTopic(topic);
    if (this.#stopping) return;

    let firstOffsets: Map<number, string> | undefined;
    if (!this.#startEnd) {
      const ends = await this.#admin.fetchTopicOffsets(topic);
      const resumeFrom = this.#options.resumeFrom;
      const clusterId = resumeFrom ? (await this.#admin.describeCluster()).clusterId : '';
      const facts: TopicFacts = {
        topic,
        clusterId,
        partitions: ends.map((p) => ({ partition: p.partition, low: BigInt(p.low), high: BigInt(p.high) })),
      };
      const resumed = resumeFrom ? await resumeFrom(facts) : undefined;
      if (this.#stopping) return;
      this.#facts = facts;
      this.#startEnd = new Map(ends.map((p) => [p.partition, BigInt(p.high)]));
      const startAt = this.#options.startAt();
      if (resumed) {
        for (const [partition, offset] of resumed) this.#next.set(partition, offset);
      } else if (startAt !== 'beginning') {
        const from = await this.#admin.fetchTopicOffsetsByTimestamp(topic, startAt);
        firstOffsets = new Map(from.map((p) => [p.partition, p.offset]));
        for (const [partition, offset] of firstOffsets) this.#next.set(partition, BigInt(offset));
      }
      log.info(
        {
          topic,
          from: resumed
            ? Object.fromEntries([...resumed].map(([partition, offset]) => [partition, String(offset)]))
            : startAt === 'beginning'
              ? 'beginning'
              : new Date(startAt).toISOString(),
          endOffsets: Object.fromEntries(ends.map((p) => [p.partition, p.high])),
        },
        'reading topic',
      );
      this.#checkCaughtUp();
    }

    const consumer = kafka.consumer({
      groupId: `${this.#options.groupPrefix}-${randomUUID()}`,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
      maxBytesPerPartition: FETCH_MAX_BYTES_PER_PARTITION,
      maxBytes: FETCH_MAX_BYTES,
      sessionTimeout: CONSUMER_SESSION_TIMEOUT_MS,
      heartbeatInterval: CONSUMER_HEARTBEAT_INTERVAL_MS,
    });
    this.#consumer = consumer;
    consumer.on(consumer.events.FETCH, () => {
      this.#lastFetchAt = this.#deps.now();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.#lastFetchAt = undefined;
      log.error({ err: payload.error, topic, restart: payload.restart }, 'Kafka consumer crashed');
      // kafkajs restarts the consumer itself after retriable errors; after any other, start anew.
      if (!payload.restart && !this.#stopping && this.#consumer === consumer) {
        void this.#disconnect().then(() => this.start());
      }
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: async (payload) => this.#onBatch(payload),
    });
    // A restarted consumer carries on where it was, instead of re-reading the whole topic; a first
    // start from a time begins at that time's offsets, one from a checkpoint at the checkpoint's.
    for (const [partition, next] of this.#next) consumer.seek({ topic, partition, offset: String(next) });
  }

  async #disconnect(): Promise<void> {
    const consumer = this.#consumer;
    const admin = this.#admin;
    this.#consumer = undefined;
    this.#admin = undefined;
    await consumer?.disconnect().catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
  }

  async #waitForTopic(topic: string): Promise<void> {
    let warned = false;
    while (!this.#stopping) {
      const admin = this.#admin;
      if (!admin) return;
      const topics = await admin.listTopics();
      this.#topicSeen = topics.includes(topic);
      if (this.#topicSeen) return;
      if (!warned) {
        this.#deps.log.warn({ topic }, 'topic does not exist yet; waiting for the connector to create it');
        warned = true;
      }
      await sleep(TOPIC_WAIT_INTERVAL_MS);
    }
  }

  #onBatch({ batch }: EachBatchPayload): void {
    const last = batch.messages[batch.messages.length - 1];
    if (last) this.#next.set(batch.partition, BigInt(last.offset) + 1n);
    this.#lag = Number(batch.offsetLag());
    this.#deps.onBatch(batch, this.#lag);
    this.#checkCaughtUp();
  }

  #checkCaughtUp(): void {
    if (this.#caughtUp || !this.#startEnd) return;
    for (const [partition, end] of this.#startEnd) {
      if ((this.#next.get(partition) ?? 0n) < end) return;
    }
    this.#caughtUp = true;
    this.#deps.onCaughtUp?.();
  }
}

/** A feed of one topic: what it reads through its TopicReader, and the reader's start, stop and progress. */
export abstract class TopicFeed {
  protected abstract readonly reader: TopicReader;

  /** True once everything the topic held when the service started has been read. */
  get caughtUp(): boolean {
    return this.reader.caughtUp;
  }

  start(): Promise<void> {
    return this.reader.start();
  }

  stop(): Promise<void> {
    return this.reader.stop();
  }
}
