/**
 * The table's topic, read from its beginning and decoded: each fetch's records, in topic order, go to
 * the pipeline (which holds them until their transaction is whole, then applies them to the view).
 *
 * A record that does not decode is passed with a gap marker, never silently: counted, logged at
 * error with its position, and the service reports itself degraded until a later record for the row
 * closes the gap (degraded-state.ts; guarantee 6 of docs/architecture.md).
 *
 * Ready means caught up: every partition read up to its end offset as of start-up, and Kafka answering.
 */
import type { Kafka } from 'kafkajs';
import type { Logger } from '../logger.js';
import { decodeRecord } from './debezium/decoder.js';
import type { Metrics } from '../metrics.js';
import type { DegradedState } from './degraded-state.js';
import type { HeldRecord } from '../stream/transactions.js';
import { TopicFeed, TopicReader } from './topic-reader.js';

export { KAFKA_STALL_MS } from './topic-reader.js';

interface ChangeFeedOptions {
  readonly topic: string;
  readonly groupPrefix: string;
}

interface ChangeFeedDeps {
  readonly kafka: Kafka;
  readonly metrics: Metrics;
  /** Where records that do not decode are reported (see degraded-state.ts for the policy). */
  readonly degraded: DegradedState;
  readonly log: Logger;
  readonly now: () => number;
  /**
   * Each fetch's decoded records (possibly none), in order; `atEnd`: nothing more was in the
   * partition when it was fetched.
   */
  readonly onRecords: (records: HeldRecord[], atEnd: boolean) => void;
  /** Called once, when the feed first reaches the topic's end as of start-up. */
  readonly onCaughtUp?: () => void;
}

export class ChangeFeed extends TopicFeed {
  protected readonly reader: TopicReader;
  readonly #deps: ChangeFeedDeps;

  constructor(deps: ChangeFeedDeps, options: ChangeFeedOptions) {
    super();
    this.#deps = deps;
    this.reader = new TopicReader(
      {
        kafka: deps.kafka,
        log: deps.log,
        now: deps.now,
        onBatch: (batch, lag) => this.#onBatch(batch, lag),
        onCaughtUp: () => {
          deps.log.info({ topic: options.topic }, 'caught up with the topic');
          deps.onCaughtUp?.();
        },
      },
      { ...options, startAt: () => 'beginning' },
    );
  }

  /** Caught up, and Kafka answered a fetch within KAFKA_STALL_MS. */
  get ready(): boolean {
    return this.reader.caughtUp && this.reader.kafkaReachable;
  }

  get kafkaReachable(): boolean {
    return this.reader.kafkaReachable;
  }

  /** ms since a fetch of the table's topic last completed (idle fetches return every second). */
  get fetchAgeMs(): number | undefined {
    return this.reader.fetchAgeMs;
  }

  /** Records behind the end of the topic, as of the last batch. */
  get lag(): number {
    return this.reader.lag;
  }

  #onBatch(batch: Parameters<ConstructorParameters<typeof TopicReader>[0]['onBatch']>[0], lag: number): void {
    const { metrics, log, degraded } = this.#deps;
    const records: HeldRecord[] = [];
    const partition = batch.partition;
    for (const message of batch.messages) {
      const decoded = decodeRecord(message.key, message.value);
      if (decoded.ok) {
        records.push({
          record: decoded.record,
          position: { partition, offset: BigInt(message.offset) },
          kafkaTime: Number(message.timestamp),
        });
        metrics.recordsApplied.inc();
        degraded.recordDecoded(decoded.record.key.id);
        continue;
      }
      metrics.decodeErrors.inc({ code: decoded.error.code });
      const gap = degraded.recordGap(message.key, {
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
    this.#deps.onRecords(records, lag === 0);
  }
}
