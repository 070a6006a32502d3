/**
 * The pipeline's first step: one fetch of the table's topic, record by record, decoded. A record that
 * does not decode is passed with a gap marker, never silently: counted, logged at error with its
 * position, and the service reports itself degraded until a later record for the row closes the gap
 * (degraded-state.ts; guarantee 6 of docs/architecture.md).
 */
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { HeldRecord } from '../stream/transactions.js';
import { decodeRecord } from './debezium/decoder.js';
import type { DegradedState } from './degraded-state.js';

/** One fetch as Kafka gave it: the records' bytes and where they were. */
export interface RawFetch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly {
    readonly key: Buffer | null;
    readonly value: Buffer | null;
    readonly offset: string;
    readonly timestamp: string;
  }[];
}

export interface DecodeDeps {
  readonly metrics: Metrics;
  /** Where records that do not decode are reported (see degraded-state.ts for the policy). */
  readonly degraded: DegradedState;
  readonly log: Logger;
  readonly now: () => number;
  /** The table whose topic this is (gaps name it; orders' are named by key alone). */
  readonly table?: string;
}

/** The fetch's records that decode, in order, with their positions; the others reported as gaps. */
export function decodeFetch(fetch: RawFetch, deps: DecodeDeps): HeldRecord[] {
  const { metrics, log, degraded } = deps;
  const records: HeldRecord[] = [];
  const partition = fetch.partition;
  for (const message of fetch.messages) {
    const decoded = decodeRecord(message.key, message.value);
    if (decoded.ok) {
      records.push({
        record: decoded.record,
        position: { partition, offset: BigInt(message.offset) },
        kafkaTime: Number(message.timestamp),
      });
      metrics.recordsApplied.inc();
      degraded.recordDecoded(decoded.record.key, deps.table);
      continue;
    }
    metrics.decodeErrors.inc({ code: decoded.error.code });
    const gap = degraded.recordGap(
      message.key,
      {
        partition,
        offset: message.offset,
        code: decoded.error.code,
        reason: decoded.error.message,
        at: deps.now(),
      },
      deps.table,
    );
    const where = {
      topic: fetch.topic,
      partition,
      offset: message.offset,
      row: gap.row,
      code: decoded.error.code,
      reason: decoded.error.message,
    };
    if (gap.accepted) log.warn(where, 'a record does not decode: passed, its position is in ACCEPTED_GAPS');
    else log.error(where, 'a record does not decode: passed, and the service reports a gap until that row is written again');
  }
  return records;
}
