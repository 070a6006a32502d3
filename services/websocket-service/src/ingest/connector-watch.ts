/**
 * Watches whether the connector is writing: every CONNECTOR_WATCH_INTERVAL_MS it reads the end
 * offsets of the connector's topics (the table's and Debezium's heartbeat topic) and notes when
 * their sum last grew. health.ts turns that into "the connector is silent for N s".
 */
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from '../logger.js';

/** Half a Debezium heartbeat interval (10 s): a silence is seen within a few seconds of its threshold. */
export const CONNECTOR_WATCH_INTERVAL_MS = 5_000;

interface ConnectorWatchDeps {
  readonly kafka: Kafka;
  readonly log: Logger;
  readonly now: () => number;
}

export class ConnectorWatch {
  readonly #deps: ConnectorWatchDeps;
  readonly #topics: readonly string[];
  readonly watchingSince: number;
  #advancedAt: number | undefined;
  #records: number | undefined;
  #admin: Admin | undefined;
  #timer: NodeJS.Timeout | undefined;
  #looking = false;
  #stopped = false;

  constructor(deps: ConnectorWatchDeps, topics: readonly string[]) {
    this.#deps = deps;
    this.#topics = topics;
    this.watchingSince = deps.now();
  }

  /** When the connector's topics were last seen growing; undefined until they have been. */
  get advancedAt(): number | undefined {
    return this.#advancedAt;
  }

  start(): void {
    this.#timer = setInterval(() => void this.#look(), CONNECTOR_WATCH_INTERVAL_MS);
    void this.#look();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    const admin = this.#admin;
    this.#admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }

  async #look(): Promise<void> {
    if (this.#looking || this.#stopped) return;
    this.#looking = true;
    try {
      if (!this.#admin) {
        const admin = this.#deps.kafka.admin();
        await admin.connect();
        // Stopped while connecting: an admin left open would keep the process from exiting.
        if (this.#stopped) {
          await admin.disconnect().catch(() => undefined);
          return;
        }
        this.#admin = admin;
      }
      let records = 0;
      // A topic that does not exist yet (no heartbeat written so far) counts as empty; it is left
      // out rather than asked for, as kafkajs retries an unknown topic for many seconds.
      const existing = new Set(await this.#admin.listTopics());
      for (const topic of this.#topics.filter((t) => existing.has(t))) {
        for (const partition of await this.#admin.fetchTopicOffsets(topic)) records += Number(partition.high);
      }
      if (this.#records !== undefined && records > this.#records) this.#advancedAt = this.#deps.now();
      this.#records = records;
    } catch (err) {
      // Kafka unreachable: the feed reports that; start over with a fresh admin next time.
      this.#deps.log.debug({ err }, 'cannot read the connector topics’ offsets');
      const admin = this.#admin;
      this.#admin = undefined;
      await admin?.disconnect().catch(() => undefined);
    } finally {
      this.#looking = false;
    }
  }
}
