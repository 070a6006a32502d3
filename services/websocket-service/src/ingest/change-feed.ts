/**
 * The table's topic, read from its beginning (or from a checkpoint's offsets, resumeFrom): a Kafka adapter. Each fetch, in topic order, goes to the
 * pipeline as Kafka gave it (pipeline.ts decodes it, holds each transaction until it is whole, then
 * applies it to the view).
 *
 * Ready means caught up: every partition read up to its end offset as of start-up, and Kafka answering.
 */
import type { Kafka } from 'kafkajs';
import type { Logger } from '../logger.js';
import type { RawFetch } from './decode-fetch.js';
import { TopicFeed, TopicReader, type TopicReaderOptions } from './topic-reader.js';
import type { TopicFacts } from '../table/checkpoint.js';

export { KAFKA_STALL_MS } from './topic-reader.js';

interface ChangeFeedOptions {
  readonly topic: string;
  readonly groupPrefix: string;
  /** Where to carry on instead of the beginning (a checkpoint): see TopicReaderOptions.resumeFrom. */
  readonly resumeFrom?: NonNullable<TopicReaderOptions['resumeFrom']>;
}

interface ChangeFeedDeps {
  readonly kafka: Kafka;
  readonly log: Logger;
  readonly now: () => number;
  /** Each fetch (possibly empty), in order; `atEnd`: nothing more was in the partition when it was fetched. */
  readonly onFetch: (fetch: RawFetch, atEnd: boolean) => void;
  /** Called once, when the feed first reaches the topic's end as of start-up. */
  readonly onCaughtUp?: () => void;
}

export class ChangeFeed extends TopicFeed {
  protected readonly reader: TopicReader;

  constructor(deps: ChangeFeedDeps, options: ChangeFeedOptions) {
    super();
    this.reader = new TopicReader(
      {
        kafka: deps.kafka,
        log: deps.log,
        now: deps.now,
        onBatch: (batch, lag) => deps.onFetch(batch, lag === 0),
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

  /** The topic as Kafka described it at start-up; undefined before. */
  get facts(): TopicFacts | undefined {
    return this.reader.facts;
  }

  /** partition → next offset to read; undefined before start-up. */
  positions(): Map<number, bigint> | undefined {
    return this.reader.positions();
  }
}
