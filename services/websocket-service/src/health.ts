/**
 * Which part of the pipeline users are waiting on, for /readyz's `status`. Pure: it reads the
 * replica's own observations and the clock, nothing else.
 *
 *   kafka      ok | unreachable        the consumer's fetches stopped completing (KAFKA_STALL_MS)
 *   connector  streaming | silent | unknown
 *              Debezium writes a change or a heartbeat (heartbeat.interval.ms, 1 s here) at least
 *              every few seconds, so the connector's topics not advancing for CONNECTOR_SILENT_AFTER_MS
 *              means it is not running (Connect down, the task failed, or Postgres unreachable). The
 *              freshness report (stream/freshness.ts) says the same within 3 s and names the hop;
 *              this slower, topic-level look stays for load balancers and older pages.
 *              unknown: Kafka is unreachable, so the topics cannot be read.
 *   lag        live | catching-up      records this replica has not applied yet
 *
 * Codes are stable (README "Readiness"); a page or a load balancer may rely on them.
 */

/** Kept from when heartbeats were 10 s apart: two missed ones and slack for the 5 s look (connector-watch.ts). */
export const DEFAULT_CONNECTOR_SILENT_AFTER_MS = 25_000;
/** Records behind the topic's end beyond which the replica says it is catching up, not live. */
export const CATCHING_UP_AFTER_RECORDS = 100;

const STATUS_CODES = {
  KAFKA_OK: 'KAFKA_OK',
  KAFKA_UNREACHABLE: 'KAFKA_UNREACHABLE',
  CONNECTOR_STREAMING: 'CONNECTOR_STREAMING',
  CONNECTOR_SILENT: 'CONNECTOR_SILENT',
  CONNECTOR_UNKNOWN: 'CONNECTOR_UNKNOWN',
  LAG_LIVE: 'LAG_LIVE',
  LAG_CATCHING_UP: 'LAG_CATCHING_UP',
} as const;

type StatusCode = (typeof STATUS_CODES)[keyof typeof STATUS_CODES];

export interface PipelineStatus {
  readonly kafka: { readonly state: 'ok' | 'unreachable'; readonly code: StatusCode };
  readonly connector: {
    readonly state: 'streaming' | 'silent' | 'unknown';
    readonly code: StatusCode;
    /** ms since the connector's topics last advanced (or since this replica started looking). */
    readonly silentForMs: number | null;
  };
  readonly lag: { readonly state: 'live' | 'catching-up'; readonly code: StatusCode; readonly behind: number };
}

export interface HealthObservations {
  readonly kafkaReachable: boolean;
  /** Caught up with the topic as of start-up (ChangeFeed.caughtUp). */
  readonly caughtUp: boolean;
  /** Records behind the end of the topic, as of the last batch. */
  readonly lag: number;
  /** When the connector's topics were last seen advancing; undefined: not yet. */
  readonly connectorAdvancedAt: number | undefined;
  /** When this replica started watching them (the silence is counted from here before any advance). */
  readonly watchingSince: number;
}

export function pipelineStatus(o: HealthObservations, now: number, silentAfterMs = DEFAULT_CONNECTOR_SILENT_AFTER_MS): PipelineStatus {
  const kafka = o.kafkaReachable
    ? { state: 'ok' as const, code: STATUS_CODES.KAFKA_OK }
    : { state: 'unreachable' as const, code: STATUS_CODES.KAFKA_UNREACHABLE };
  const silentForMs = Math.max(0, now - (o.connectorAdvancedAt ?? o.watchingSince));
  const connector = !o.kafkaReachable
    ? { state: 'unknown' as const, code: STATUS_CODES.CONNECTOR_UNKNOWN, silentForMs: null }
    : silentForMs > silentAfterMs
      ? { state: 'silent' as const, code: STATUS_CODES.CONNECTOR_SILENT, silentForMs }
      : { state: 'streaming' as const, code: STATUS_CODES.CONNECTOR_STREAMING, silentForMs };
  const catchingUp = !o.caughtUp || o.lag > CATCHING_UP_AFTER_RECORDS;
  const lag = catchingUp
    ? { state: 'catching-up' as const, code: STATUS_CODES.LAG_CATCHING_UP, behind: o.lag }
    : { state: 'live' as const, code: STATUS_CODES.LAG_LIVE, behind: o.lag };
  return { kafka, connector, lag };
}

/**
 * The Access-Control-Allow-Origin a /readyz answer carries, so the page (another origin) can read
 * it: any origin when the service admits any, else the request's origin if it is an allowed one.
 */
export function readinessAllowOrigin(origin: string | undefined, allowedOrigins: readonly string[] | undefined): string | undefined {
  if (allowedOrigins === undefined) return '*';
  return origin !== undefined && allowedOrigins.includes(origin.toLowerCase()) ? origin : undefined;
}
