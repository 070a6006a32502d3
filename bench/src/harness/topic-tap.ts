/**
 * A Kafka consumer in the benchmark process that notes, for every change record on the topic, when
 * Postgres committed it (source.ts_us), when the record was written (its Kafka timestamp), and when
 * a consumer could read it (here: this one, fetching alongside the service's). Keyed by cursor
 * "<partition>:<offset>", the same position the service puts on its change frames. Records are read
 * with the service's own decoder, so the tap sees what the service sees.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { waitFor } from '@orders-live/testkit';
import { decodeRecord } from '@orders-live/websocket-service/decoder';
import { wallMicros } from './clock.js';

interface TappedRecord {
  readonly cursor: string;
  /** Postgres commit time, epoch µs, at the decoder's ms resolution (source.ts_ms × 1000: what the service reports too). */
  readonly commitUs: number;
  /** The Kafka record's timestamp (CreateTime: set by Connect's producer), epoch ms. */
  readonly recordMs: number;
  /** When this consumer had it, epoch µs. */
  readonly tappedUs: number;
}

/** Longest an idle fetch waits: short, so the tap notices a record as soon as the broker has it. */
const TAP_MAX_WAIT_MS = 100;
const TAP_READY_TIMEOUT_MS = 60_000;

export class TopicTap {
  readonly #consumer: Consumer;
  readonly #topic: string;
  readonly #records = new Map<string, TappedRecord>();
  readonly #listeners = new Set<(record: TappedRecord) => void>();
  #fetched = false;
  /** Records are kept only while capturing. */
  capturing = false;

  constructor(brokers: readonly string[], topic: string) {
    this.#topic = topic;
    const kafka = new Kafka({ clientId: 'orders-live-bench', brokers: [...brokers], logLevel: logLevel.ERROR });
    this.#consumer = kafka.consumer({
      groupId: `orders-live-bench-${randomUUID()}`,
      maxWaitTimeInMs: TAP_MAX_WAIT_MS,
      allowAutoTopicCreation: false,
    });
  }

  /** Joins at the end of the topic; resolves once the first fetch from there has returned. */
  async start(): Promise<void> {
    this.#consumer.on(this.#consumer.events.FETCH, () => {
      this.#fetched = true;
    });
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topic: this.#topic, fromBeginning: false });
    await this.#consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const tappedUs = wallMicros();
        for (const message of batch.messages) {
          const decoded = decodeRecord(message.key, message.value);
          // Tombstones (no frame follows) and records the service would reject too are not timed.
          if (!decoded.ok || decoded.record.kind !== 'row') continue;
          const { source } = decoded.record;
          const commitUs = source.commitTimeMs * 1_000;
          const record: TappedRecord = {
            cursor: `${batch.partition}:${message.offset}`,
            commitUs,
            recordMs: Number(message.timestamp),
            tappedUs,
          };
          if (this.capturing) this.#records.set(record.cursor, record);
          for (const listener of this.#listeners) listener(record);
        }
      },
    });
    await waitFor('the benchmark consumer to fetch from the topic', () => this.#fetched, TAP_READY_TIMEOUT_MS);
  }

  /** Calls `listener` with every record from now on (capturing or not); returns the unsubscribe. */
  onRecord(listener: (record: TappedRecord) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The records captured so far, and forget them. */
  take(): TappedRecord[] {
    const records = [...this.#records.values()];
    this.#records.clear();
    return records;
  }

  get captured(): number {
    return this.#records.size;
  }

  /** Captured records whose commit time lies in [startUs, endUs]. */
  capturedCommittedBetween(startUs: number, endUs: number): number {
    let count = 0;
    for (const record of this.#records.values()) if (record.commitUs >= startUs && record.commitUs <= endUs) count += 1;
    return count;
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
  }
}
