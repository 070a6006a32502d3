/**
 * Asks Kafka Connect how the connector is (GET /connectors/<name>/status) every
 * CONNECT_STATUS_INTERVAL_MS, so that a stalled watermark can be put down to Connect or to Postgres
 * (freshness.ts). Optional: without CONNECT_URL the service cannot tell those two apart.
 */
import type { Logger } from '../logger.js';

/** Often enough that a stopped Connect is named within the 5 s guarantee 8 allows. */
export const CONNECT_STATUS_INTERVAL_MS = 1_000;
/** A status request that takes longer counts as no answer. */
const CONNECT_STATUS_TIMEOUT_MS = 2_000;

export type ConnectorHealth =
  | { readonly reachable: false; readonly reason: string }
  | {
      readonly reachable: true;
      readonly connector: string;
      readonly tasks: readonly string[];
      readonly trace: string | undefined;
      /** When the connector and its tasks were first seen RUNNING since they last were not (epoch ms); undefined while not running. */
      readonly runningSince: number | undefined;
    };

interface ConnectStatusDeps {
  readonly fetch: typeof fetch;
  readonly log: Logger;
  readonly now: () => number;
}

export class ConnectStatus {
  readonly #deps: ConnectStatusDeps;
  readonly #url: string;
  #timer: NodeJS.Timeout | undefined;
  #health: ConnectorHealth | undefined;
  #looking = false;

  constructor(deps: ConnectStatusDeps, connectUrl: string, connectorName: string) {
    this.#deps = deps;
    this.#url = `${connectUrl.replace(/\/$/, '')}/connectors/${encodeURIComponent(connectorName)}/status`;
  }

  /** The last answer; undefined before the first. */
  get health(): ConnectorHealth | undefined {
    return this.#health;
  }

  start(): void {
    this.#timer = setInterval(() => void this.#look(), CONNECT_STATUS_INTERVAL_MS);
    this.#timer.unref();
    void this.#look();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async #look(): Promise<void> {
    if (this.#looking) return;
    this.#looking = true;
    try {
      const response = await this.#deps.fetch(this.#url, { signal: AbortSignal.timeout(CONNECT_STATUS_TIMEOUT_MS) });
      if (!response.ok) {
        this.#health = {
          reachable: true,
          connector: response.status === 404 ? 'NOT_REGISTERED' : `HTTP_${response.status}`,
          tasks: [],
          trace: undefined,
          runningSince: undefined,
        };
        return;
      }
      const body = (await response.json()) as { connector?: { state?: string }; tasks?: { state?: string; trace?: string }[] };
      const tasks = body.tasks ?? [];
      const connector = body.connector?.state ?? 'UNKNOWN';
      const states = tasks.map((task) => task.state ?? 'UNKNOWN');
      const running = connector === 'RUNNING' && states.length > 0 && states.every((state) => state === 'RUNNING');
      // Running at the first look counts as running all along (0), not as just recovered.
      const before = this.#health === undefined ? 0 : this.#health.reachable ? this.#health.runningSince : undefined;
      this.#health = {
        reachable: true,
        connector,
        tasks: states,
        trace: tasks.find((task) => task.trace)?.trace,
        runningSince: running ? (before ?? this.#deps.now()) : undefined,
      };
    } catch (err) {
      this.#deps.log.debug({ err }, 'Kafka Connect does not answer');
      this.#health = { reachable: false, reason: err instanceof Error ? err.message : String(err) };
    } finally {
      this.#looking = false;
    }
  }
}
