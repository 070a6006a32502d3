/**
 * Debezium's transaction topic (`<prefix>.transaction`): the BEGIN and END markers of every Postgres
 * transaction the connector streams, decoded and handed to the pipeline in topic order. END says how
 * many events of each table a transaction has, which is how the service knows a transaction is whole
 * (transactions.ts), and every END carries a commit time, which is how it knows how fresh it is.
 *
 * Read from TRANSACTION_LOOKBACK_MS before start-up, not from the beginning (the topic is a log of
 * every transaction, heartbeats included, a day long): what the service needs from it is the END of
 * the transactions still arriving. An older transaction of the table's topic is known whole without
 * its END, because a later one follows it there or a later END is read (transactions.ts, rules 2, 3).
 */
import type { Kafka } from 'kafkajs';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { decodeTransactionMarker, type TransactionMarker } from './debezium/transaction-marker.js';
import { TopicFeed, TopicReader } from './topic-reader.js';

/** How far back a start-up reads the transaction topic: well past any transaction still being written. */
const TRANSACTION_LOOKBACK_MS = 60_000;

interface TransactionFeedDeps {
  readonly kafka: Kafka;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly now: () => number;
  readonly onMarkers: (markers: TransactionMarker[]) => void;
}

export class TransactionFeed extends TopicFeed {
  protected readonly reader: TopicReader;

  constructor(deps: TransactionFeedDeps, options: { readonly topic: string; readonly groupPrefix: string }) {
    super();
    this.reader = new TopicReader(
      {
        kafka: deps.kafka,
        log: deps.log,
        now: deps.now,
        onBatch: (batch) => {
          const markers: TransactionMarker[] = [];
          for (const message of batch.messages) {
            const decoded = decodeTransactionMarker(message.value);
            if (decoded.ok) {
              markers.push(decoded.marker);
              continue;
            }
            // Without this END the transaction is still released whole, later (transactions.ts).
            deps.metrics.decodeErrors.inc({ code: decoded.error.code });
            deps.log.warn(
              { topic: batch.topic, partition: batch.partition, offset: message.offset, ...decoded.error },
              'a transaction marker does not decode',
            );
          }
          deps.onMarkers(markers);
        },
      },
      { ...options, startAt: () => deps.now() - TRANSACTION_LOOKBACK_MS },
    );
  }

  /** The topic exists (the connector gives transaction metadata and has written some). */
  get topicExists(): boolean {
    return this.reader.topicExists;
  }
}
