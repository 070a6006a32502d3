/**
 * How fresh this replica's clients are, and which hop stopped when they are not (guarantee 8).
 * Pure: the watermark and the replica's observations in, a report out.
 *
 * A stale watermark is put down to the first hop that shows it stopped, in the order a change
 * crosses them backwards from the service: Kafka (this replica's fetches stopped completing), Kafka
 * Connect (it does not answer, or the connector's task does not run), else Postgres (Connect runs the
 * connector, yet no heartbeat commit comes through). The service itself stopping is seen by the
 * page: freshness frames stop coming.
 */
import { FRESHNESS_CODES, FRESHNESS_STALE_AFTER_MS, type Freshness, type Stall } from '@orders-live/protocol';
import type { ConnectorHealth } from '../ingest/connect-status.js';
import type { Receiving } from './transactions.js';

/** An idle fetch returns every second: this long without one and Kafka is not answering. */
const KAFKA_QUIET_MS = 2_500;
/** A transaction held this long is worth telling the page about (and its release, at once: pipeline.ts). */
export const RECEIVING_SHOWN_AFTER_MS = 250;
/** A held transaction whose last event came this recently is still arriving (not stopped on the way). */
const RECEIVING_PROGRESS_MS = 2_000;
/** Kafka Connect running again for less than this is still resuming the stream (its first heartbeats are on their way). */
const CONNECT_RESUMING_MS = 20_000;

export interface FreshnessObservations {
  readonly watermark: number | null;
  /** When this replica started (the watermark is awaited from then). */
  readonly startedAt: number;
  /** ms since the table topic's last completed fetch; undefined before the first. */
  readonly fetchAgeMs: number | undefined;
  /** Kafka Connect's answer, when the replica knows where Connect is. */
  readonly connector: ConnectorHealth | undefined;
  readonly transactionTopicExists: boolean;
  readonly receiving: Receiving | null;
  /** Records of the table's topic this replica has still to read, while it is catching up; null once it is live. */
  readonly catchingUp: number | null;
}

function stall(o: FreshnessObservations, behindMs: number, now: number): Stall {
  const seconds = Math.round(behindMs / 1000);
  if (o.fetchAgeMs === undefined || o.fetchAgeMs > KAFKA_QUIET_MS) {
    return {
      hop: 'kafka',
      code: FRESHNESS_CODES.KAFKA_STOPPED,
      reason: `Kafka has not answered this replica for ${Math.round((o.fetchAgeMs ?? behindMs) / 1000)} s`,
    };
  }
  if (o.catchingUp !== null) {
    return {
      hop: 'service',
      code: FRESHNESS_CODES.CATCHING_UP,
      reason: `this replica is catching up with the topic (${o.catchingUp.toLocaleString('en-US')} records to read)`,
    };
  }
  const c = o.connector;
  if (c === undefined) {
    return {
      hop: 'connect',
      code: FRESHNESS_CODES.SOURCE_STOPPED,
      reason: `no heartbeat through Kafka Connect for ${seconds} s: Connect or Postgres has stopped`,
    };
  }
  if (!c.reachable)
    return {
      hop: 'connect',
      code: FRESHNESS_CODES.CONNECT_STOPPED,
      reason: `Kafka Connect does not answer (${c.reason}); no commit for ${seconds} s`,
    };
  const running = c.connector === 'RUNNING' && c.tasks.length > 0 && c.tasks.every((task) => task === 'RUNNING');
  if (!running) {
    const database = c.trace !== undefined && /PSQLException|postgres|Connection refused/i.test(c.trace);
    const state = `connector ${c.connector}, task ${c.tasks.join(', ') || 'none'}`;
    return database
      ? { hop: 'postgres', code: FRESHNESS_CODES.POSTGRES_STOPPED, reason: `the connector cannot reach Postgres (${state})` }
      : { hop: 'connect', code: FRESHNESS_CODES.CONNECT_STOPPED, reason: `the connector is not running (${state})` };
  }
  if (c.runningSince !== undefined && now - c.runningSince < CONNECT_RESUMING_MS) {
    return {
      hop: 'connect',
      code: FRESHNESS_CODES.CONNECT_STOPPED,
      reason: `Kafka Connect is running again (for ${Math.round((now - c.runningSince) / 1000)} s) and resuming the stream`,
    };
  }
  return {
    hop: 'postgres',
    code: FRESHNESS_CODES.POSTGRES_STOPPED,
    reason: `Kafka Connect runs, but no heartbeat has committed for ${seconds} s: Postgres or its replication stopped`,
  };
}

export function freshnessReport(o: FreshnessObservations, now: number): Freshness {
  const r = o.receiving;
  const receiving =
    r && r.heldForMs >= RECEIVING_SHOWN_AFTER_MS ? { events: r.events, expected: r.expected, heldForMs: r.heldForMs } : null;
  const base = { upTo: o.watermark, at: now, receiving };
  const behindMs = now - (o.watermark ?? o.startedAt);
  if (behindMs <= FRESHNESS_STALE_AFTER_MS) {
    return o.watermark === null
      ? { ...base, state: 'unknown', code: FRESHNESS_CODES.NO_WATERMARK, stalled: null }
      : { ...base, state: 'fresh', code: FRESHNESS_CODES.FRESH, stalled: null };
  }
  // Behind, but nothing has stopped: a large transaction is still coming in, and the commits after it
  // (the heartbeats among them) wait behind it in the WAL. Said as such, never blamed on a hop.
  const kafkaAnswers = o.fetchAgeMs !== undefined && o.fetchAgeMs <= KAFKA_QUIET_MS;
  if (receiving && r && r.quietForMs <= RECEIVING_PROGRESS_MS && kafkaAnswers && o.catchingUp === null) {
    return { ...base, state: 'stale', code: FRESHNESS_CODES.RECEIVING_TRANSACTION, stalled: null };
  }
  const stalled = stall(o, behindMs, now);
  if (o.watermark === null && stalled.hop !== 'kafka' && !o.transactionTopicExists && o.connector?.reachable !== false) {
    // Nothing says how fresh the stream is: the connector gives no transaction metadata (or has
    // written none yet). Told as unknown, never as fresh.
    return { ...base, state: 'unknown', code: FRESHNESS_CODES.NO_WATERMARK, stalled: null };
  }
  return { ...base, state: 'stale', code: stalled.code, stalled };
}
