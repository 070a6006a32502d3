/**
 * Latency per hop, from what the benchmark observed of each change (pure):
 *
 *   commit ──▶ Kafka record ──▶ consumer fetched ──▶ first client ──▶ last client
 *   source.ts_us   record timestamp   bench's own consumer   fleet arrival times
 *
 * "Consumer fetched" is the benchmark's consumer, fetching alongside the service's: the closest
 * outside view of "service received" without instrumenting the service. The service's own
 * commit → sent histogram (/metrics) is reported next to it.
 */
import { summarize, type Summary } from '../harness/stats.js';

export interface ChangeTiming {
  readonly commitUs: number;
  readonly recordMs: number;
  readonly tappedUs: number;
  /** Earliest and latest arrival over all clients (µs); clients = how many got it. */
  readonly firstUs: number;
  readonly lastUs: number;
  readonly clients: number;
}

export const HOPS = {
  commitToKafka: 'commit → Kafka record',
  kafkaToConsumer: 'Kafka record → consumer fetched (≈ service received)',
  consumerToFirstClient: 'consumer fetched → first client received',
  firstToLastClient: 'first → last client received (fan-out spread)',
  commitToLastClient: 'commit → last client received (per change)',
} as const;
export type HopName = keyof typeof HOPS;

export function hopSummaries(timings: readonly ChangeTiming[]): Record<HopName, Summary> {
  const samples: Record<HopName, number[]> = { commitToKafka: [], kafkaToConsumer: [], consumerToFirstClient: [], firstToLastClient: [], commitToLastClient: [] };
  for (const t of timings) {
    samples.commitToKafka.push(t.recordMs - t.commitUs / 1_000);
    samples.kafkaToConsumer.push(t.tappedUs / 1_000 - t.recordMs);
    if (t.clients === 0) continue;
    samples.consumerToFirstClient.push((t.firstUs - t.tappedUs) / 1_000);
    samples.firstToLastClient.push((t.lastUs - t.firstUs) / 1_000);
    samples.commitToLastClient.push((t.lastUs - t.commitUs) / 1_000);
  }
  return {
    commitToKafka: summarize(samples.commitToKafka),
    kafkaToConsumer: summarize(samples.kafkaToConsumer),
    consumerToFirstClient: summarize(samples.consumerToFirstClient),
    firstToLastClient: summarize(samples.firstToLastClient),
    commitToLastClient: summarize(samples.commitToLastClient),
  };
}

/** Changes that reached fewer clients than connected (0 = reached none). */
export function incomplete(timings: readonly ChangeTiming[], clients: number): { partial: number; missing: number } {
  let partial = 0;
  let missing = 0;
  for (const t of timings) {
    if (t.clients === 0) missing += 1;
    else if (t.clients < clients) partial += 1;
  }
  return { partial, missing };
}
