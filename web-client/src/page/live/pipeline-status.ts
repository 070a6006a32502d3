/**
 * What the page says about the pipeline while it is not live: which part users are waiting on,
 * from the websocket-service's /readyz `status` (its stable codes). Pure.
 */

/** The part of /readyz's JSON the page reads (services/websocket-service/src/health.ts). */
interface ReadinessStatus {
  readonly kafka: { readonly code: string };
  readonly connector: { readonly code: string; readonly silentForMs: number | null };
  readonly lag: { readonly code: string; readonly behind: number };
}

/** Reads the status out of a /readyz body; undefined when it carries none the page understands. */
export function readStatus(body: unknown): ReadinessStatus | undefined {
  const status = (body as { status?: unknown } | null)?.status as Partial<ReadinessStatus> | undefined;
  if (typeof status?.kafka?.code !== 'string' || typeof status.connector?.code !== 'string' || typeof status.lag?.code !== 'string')
    return undefined;
  return status as ReadinessStatus;
}

/** One line for the user, most upstream cause first; undefined when the service reports no fault. */
export function describeStatus(status: ReadinessStatus | undefined, serviceReachable: boolean): string | undefined {
  if (!serviceReachable) return 'The live server cannot be reached.';
  if (!status) return undefined;
  if (status.kafka.code === 'KAFKA_UNREACHABLE') return 'The server cannot reach Kafka: changes will arrive once it is back.';
  if (status.connector.code === 'CONNECTOR_SILENT') {
    const seconds = Math.round((status.connector.silentForMs ?? 0) / 1_000);
    return `No changes or heartbeats from the database's change stream (the Debezium connector) for ${seconds} s.`;
  }
  if (status.lag.code === 'LAG_CATCHING_UP')
    return `The server is catching up: ${status.lag.behind.toLocaleString('en-US')} changes behind.`;
  return undefined;
}
