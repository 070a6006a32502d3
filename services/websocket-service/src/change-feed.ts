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
import type { OrdersTable, TableChange } from './orders-table.js';
import type { Metrics } from './metrics.js';
import type { DegradedState } from './degraded-state.js';

/** Pause between looks for a topic that does not exist yet (the connector creates it on first write). */
const TOPIC_WAIT_INTERVAL_MS = 1_000;

/**
 * Longest a fetch waits on an idle topic. Data returns at once regardless (minBytes = 1); this only
 * bounds how long shutdown waits for an in-flight fetch (kafkajs' default is 5 s).
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
 * no faster and held more memory). A live fetch returns as soon as anything
 * is there, so this adds no latency.
 */
const FETCH_MAX_BYTES_PER_PARTITION = 4 * 1024 * 1024;
const FETCH_MAX_BYTES = 2 * FETCH_MAX_BYTES_PER_PARTITION;
const CONSUMER_HEARTBEAT_INTERVAL_MS = 2_000;
/** First pause before retrying to start when Kafka is unreachable; it doubles up to the max. */
const START_RETRY_INITIAL_MS = 500;
const START_RETRY_MAX_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ChangeFeedOptions {
  readonly topic: string;
  readonly groupPrefix: string;
}

/**
 * Kafka counts as reachable while fetches keep completing; an idle fetch returns every
 * FETCH_MAX_WAIT_MS, so this many ms without one means the broker is gone (or the consumer stuck).
 */
export const KAFKA_STALL_MS = 10_000;

interface ChangeFeedDeps {
  readonly kafka: Kafka;
  readonly view: OrdersTable;
  readonly metrics: Metrics;
  /** Where records that do not decode are reported (see degraded-state.ts for the policy). */
  readonly degraded: DegradedState;
  readonly log: Logger;
  readonly now: () => number;
  /**
   * Receives each batch's changes (possibly none), in order, right after they are applied;
   * `more`: the partition already holds records after this batch (the next fetch follows at once).
   */
  readonly onBatch: (changes: TableChange[], more: boolean) => void;
  /** Called once, when the view first reaches the topic's end as of start-up. */
  readonly onCaughtUp?: () => void;
}

export class ChangeFeed {
  readonly #deps: ChangeFeedDeps;
  readonly #options: ChangeFeedOptions;

  #admin: Admin | undefined;
  #consumer: Consumer | undefined;
  /** partition → end offset as of start-up; undefined until known. */
  #startEnd: Map<number, bigint> | undefined;
  /** partition → next offset to apply */
  readonly #next = new Map<number, bigint>();
  #caughtUp = false;
  #stopping = false;
  #lastFetchAt: number | undefined;
  #lag = 0;

  constructor(deps: ChangeFeedDeps, options: ChangeFeedOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  /** True once the view holds everything the topic held when the service started. */
  get caughtUp(): boolean {
    return this.#caughtUp;
  }

  /** Caught up, and Kafka answered a fetch within KAFKA_STALL_MS. */
  get ready(): boolean {
    return this.#caughtUp && this.kafkaReachable;
  }

  get kafkaReachable(): boolean {
    return this.#lastFetchAt !== undefined && this.#deps.now() - this.#lastFetchAt <= KAFKA_STALL_MS;
  }

  /** Records behind the end of the topic, as of the last batch. */
  get lag(): number {
    return this.#lag;
  }

  /** Connects, waits for the topic, and starts consuming. Resolves once consumption has begun. */
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
        this.#deps.log.warn({ err, retryInMs: delayMs }, 'cannot read the topic yet; retrying');
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

    if (!this.#startEnd) {
      const ends = await this.#admin.fetchTopicOffsets(topic);
      this.#startEnd = new Map(ends.map((p) => [p.partition, BigInt(p.high)]));
      log.info({ topic, endOffsets: Object.fromEntries(ends.map((p) => [p.partition, p.high])) }, 'reading topic from the beginning');
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
      log.error({ err: payload.error, restart: payload.restart }, 'Kafka consumer crashed');
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
    // A restarted consumer carries on where the view is, instead of re-reading the whole topic.
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
      if (topics.includes(topic)) return;
      if (!warned) {
        this.#deps.log.warn({ topic }, 'topic does not exist yet; waiting for the connector to create it');
        warned = true;
      }
      await new Promise((resolve) => setTimeout(resolve, TOPIC_WAIT_INTERVAL_MS));
    }
  }

  #onBatch({ batch }: EachBatchPayload): void {
    const { view, metrics, log } = this.#deps;
    const changes: TableChange[] = [];
    const partition = batch.partition;
    const duplicatesBefore = view.duplicatesDropped;
    for (const message of batch.messages) {
      const offset = BigInt(message.offset);
      const decoded = decodeRecord(message.key, message.value);
      if (decoded.ok) {
        if (decoded.record.kind === 'row' && decoded.record.columns.fingerprint !== view.catalog.columns.fingerprint) {
          // A schema change may follow: every change before it is delivered first (and nothing held
          // back), so the hub resyncs its clients to the new columns at exactly this point.
          this.#deps.onBatch(changes.splice(0), false);
        }
        for (const change of view.apply(decoded.record, { partition, offset }, Number(message.timestamp))) changes.push(change);
        metrics.recordsApplied.inc();
        this.#deps.degraded.recordDecoded(decoded.record.key.id);
      } else {
        // Passed with a gap marker, never silently: counted, logged at error with its position, and
        // the service reports itself degraded until a later record for the row closes the gap.
        metrics.decodeErrors.inc({ code: decoded.error.code });
        const gap = this.#deps.degraded.recordGap(message.key, {
          partition,
          offset: message.offset,
          code: decoded.error.code,
          reason: decoded.error.message,
          at: this.#deps.now(),
        });
        const where = {
          topic: batch.topic,
          partition,
          offset: message.offset,
          row: gap.row,
          code: decoded.error.code,
          reason: decoded.error.message,
        };
        if (gap.accepted) log.warn(where, 'a record does not decode: passed, its position is in ACCEPTED_GAPS');
        else log.error(where, 'a record does not decode: passed, and the service reports a gap until that row is written again');
      }
      this.#next.set(partition, offset + 1n);
    }
    metrics.duplicatesDropped.inc(view.duplicatesDropped - duplicatesBefore);
    this.#lag = Number(batch.offsetLag());
    this.#deps.onBatch(changes, this.#lag > 0);
    this.#checkCaughtUp();
  }

  #checkCaughtUp(): void {
    if (this.#caughtUp || !this.#startEnd) return;
    for (const [partition, end] of this.#startEnd) {
      if ((this.#next.get(partition) ?? 0n) < end) return;
    }
    this.#caughtUp = true;
    this.#deps.log.info({ cursor: this.#deps.view.cursor, rows: this.#deps.view.size }, 'caught up with the topic');
    this.#deps.onCaughtUp?.();
  }
}
