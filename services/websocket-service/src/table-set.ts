/**
 * The tables a replica serves, each a TableStream (table-stream.ts), and what they share: the hub's
 * runners, the cross-table gate, the transaction markers, the connector topics watched. The set is
 * the configured tables plus TABLES_FILE's, followed while the replica runs: a table added to the
 * list is served within a poll (its topic read from the beginning, welcome lists it), one removed is
 * served no more (its subscriptions end with E_UNKNOWN_TABLE).
 */
import { readFileSync } from 'node:fs';
import { tablesOf, type Config, type TableConfig } from './config.js';
import type { Logger } from './logger.js';
import type { TransactionMarker } from './ingest/debezium/transaction-marker.js';
import type { Receiving } from './stream/transactions.js';
import { CrossTableGate } from './stream/cross-table-gate.js';
import { TablesFile, parseTablesFile } from './table/tables-file.js';
import { createTableStream, type TableStream, type TableStreamDeps } from './table-stream.js';

/** What every table's stream is given, but what the set gives it itself (the gate, the long-wait signal). */
export type TableSetDeps = Omit<TableStreamDeps, 'onLongWait' | 'gate'>;

export class TableSet {
  /** Every table served, the first (KAFKA_TOPIC's: orders) first. Read by reference: it changes as tables come and go. */
  readonly streams: TableStream[] = [];
  /** A transaction of several tables is delivered to all of them at once (cross-table-gate.ts). */
  readonly gate: CrossTableGate;
  /** The connector's topics whose growth says it is alive: every table's and its heartbeat topic (read by reference). */
  readonly watchedTopics: string[];
  readonly #config: Config;
  readonly #deps: TableSetDeps;
  readonly #file: TablesFile | undefined;
  #running = false;

  constructor(config: Config, deps: TableSetDeps) {
    this.#config = config;
    this.#deps = deps;
    this.gate = new CrossTableGate((outcome) => deps.metrics.crossTableTransactions.inc({ outcome }));
    this.watchedTopics = [config.connector.heartbeatTopic];
    for (const table of initialTables(config, deps.log)) this.#add(table);
    const file = config.kafka.tablesFile;
    this.#file =
      file &&
      new TablesFile(file, {
        onChange: (listed) => this.#follow(listed),
        onError: (err) => deps.log.warn({ err, file: file.path }, 'cannot read the tables list; serving the tables as they were'),
      });
  }

  /** Every commit up to this time has reached the clients of every table: the lowest table's watermark. */
  watermark(): number | null {
    const marks = this.streams.map((stream) => stream.pipeline.watermark()).filter((mark): mark is number => mark !== null);
    return marks.length === 0 ? null : Math.min(...marks);
  }

  /** A transaction still arriving in some table, or null. */
  receiving(): Receiving | null {
    return this.streams.map((stream) => stream.pipeline.receiving()).find((r) => r !== null) ?? null;
  }

  /** One fetch of the transaction topic: the gate learns which tables each transaction touched, every pipeline its ENDs. */
  onMarkers(markers: readonly TransactionMarker[]): void {
    for (const marker of markers) this.gate.addMarker(marker);
    for (const stream of this.streams) stream.pipeline.onMarkers(markers);
    this.gate.drain(this.#deps.now());
  }

  /** Starts every table's checkpoint, pipeline and feed, and follows the tables list. */
  start(): void {
    for (const stream of this.streams) this.#startStream(stream);
    this.#running = true;
    this.#file?.start(this.streams.map((stream) => stream.config.collection));
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#file?.stop();
    await Promise.all(this.streams.map(stopStream));
  }

  #add(table: TableConfig): TableStream {
    const { hub, log } = this.#deps;
    const stream = createTableStream(this.#config, table, {
      ...this.#deps,
      // A page that showed "receiving a transaction" hears at once that it is whole.
      onLongWait: () => hub.freshnessChanged(),
      gate: this.gate,
    });
    hub.addTable({
      table: table.name,
      view: stream.view,
      ring: stream.ring,
      windows: stream.windows,
      countBy: stream.countBy,
      // A page opening on a replica that is still reading a topic waits for the whole view, and on a
      // table whose columns no record has told yet (an empty topic), for its first row.
      caughtUp: () => stream.feed.caughtUp && known(stream),
    });
    // Clients hear of new columns (and get their rows afresh) as they happen; those waiting for a
    // table's first columns get it now.
    stream.view.catalog.onChange((change) => {
      hub.columnsChanged(table.name);
      if (change.previous.columns.length === 0 && stream.feed.caughtUp) hub.caughtUp(table.name);
    });
    this.streams.push(stream);
    this.watchedTopics.push(table.topic);
    if (this.#running) this.#startStream(stream);
    log.info({ table: table.name, topic: table.topic }, 'serving a table');
    return stream;
  }

  async #remove(stream: TableStream): Promise<void> {
    this.#deps.hub.removeTable(stream.config.name);
    this.gate.removeTable(stream.config.name, this.#deps.now());
    this.streams.splice(this.streams.indexOf(stream), 1);
    this.watchedTopics.splice(this.watchedTopics.indexOf(stream.config.topic), 1);
    await stopStream(stream);
  }

  /** The tables list changed: serve what it names now (beside the configured tables), no more and no less. */
  #follow(listed: readonly string[]): void {
    const { log } = this.#deps;
    const wanted = new Map(tablesWith(this.#config, listed).map((t) => [t.name, t]));
    for (const stream of [...this.streams]) {
      if (wanted.has(stream.config.name)) continue;
      log.info({ table: stream.config.name }, 'a table left the tables list: no longer served');
      void this.#remove(stream);
    }
    for (const [name, table] of wanted) {
      if (!this.streams.some((stream) => stream.config.name === name)) this.#add(table);
    }
  }

  /** Starts a table's checkpoint, pipeline and change feed (not awaited: /readyz is 503 while the feed waits for Kafka). */
  #startStream(stream: TableStream): void {
    stream.checkpoint?.start();
    stream.pipeline.start();
    stream.feed.start().catch((err: unknown) => {
      this.#deps.log.error({ err, table: stream.config.name }, 'change feed failed to start');
    });
  }
}

/** Whether the table's columns are known (a record of its topic, or its checkpoint, told them). */
function known(stream: TableStream): boolean {
  return stream.view.catalog.columns.columns.length > 0;
}

/** Stops a table's feed, then its checkpoint (after the feed stops, nothing new arrives), then its pipeline. */
async function stopStream(stream: TableStream): Promise<void> {
  await stream.feed.stop();
  await stream.checkpoint?.close();
  stream.pipeline.stop();
}

/** The configured tables and the list's (`listed`: "schema.table" each), as served. */
function tablesWith(config: Config, listed: readonly string[]): TableConfig[] {
  const { topic, tables, countBy } = config.kafka;
  return tablesOf(topic, [...tables.map((table) => table.collection), ...listed], countBy);
}

/** The tables served at start: the configured ones, then those of TABLES_FILE (unreadable: the configured ones, said). */
function initialTables(config: Config, log: Logger): TableConfig[] {
  const file = config.kafka.tablesFile;
  if (!file) return [...config.kafka.tables];
  try {
    const { tables, invalid } = parseTablesFile(readFileSync(file.path, 'utf8'));
    if (invalid.length > 0) log.warn({ file: file.path, invalid }, 'lines of the tables list that name no schema.table are passed');
    return tablesWith(config, tables);
  } catch (err) {
    log.error({ err, file: file.path }, 'cannot read the tables list: serving the configured tables only');
    return [...config.kafka.tables];
  }
}
