/**
 * One streamed table inside the service: its view, ring of recent changes, windows, pipeline,
 * change feed (its topic) and checkpoint. The app makes one per table it serves (config.kafka.tables)
 * and shares the rest between them: the hub, the transaction feed (whose markers every table's
 * pipeline reads for its own events), the gaps, the metrics.
 */
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { ORDER_STATUSES } from '@orders-live/protocol';
import type { Config, TableConfig } from './config.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { Hub } from './fanout/hub.js';
import { TableView } from './table/table-view.js';
import { ColumnCatalog } from './table/column-catalog.js';
import { columnSet } from './table/column-set.js';
import { ChangeRing } from './stream/ring.js';
import { WindowRegistry } from './windows/window-registry.js';
import { createPipeline, type Pipeline } from './pipeline.js';
import { ChangeFeed } from './ingest/change-feed.js';
import type { DegradedState } from './ingest/degraded-state.js';
import { CheckpointStore } from './table/checkpoint-store.js';
import type { TopicFacts } from './table/checkpoint.js';
import type { CrossTableGate } from './stream/cross-table-gate.js';

export interface TableStream {
  readonly config: TableConfig;
  /** The column a window counts by when it names none: COUNT_BY's, else the table's first enum or boolean column, else none. */
  readonly countBy: () => string | null;
  readonly view: TableView;
  readonly ring: ChangeRing;
  readonly windows: WindowRegistry;
  readonly pipeline: Pipeline;
  readonly feed: ChangeFeed;
  /** The view's checkpoint on local disk; undefined when CHECKPOINT_DIR is unset. */
  readonly checkpoint: CheckpointStore | undefined;
}

export interface TableStreamDeps {
  readonly kafka: Kafka;
  readonly hub: Hub;
  readonly metrics: Metrics;
  readonly degraded: DegradedState;
  readonly log: Logger;
  readonly now: () => number;
  /** A transaction clients were told was arriving is whole and delivered (pipeline.ts). */
  readonly onLongWait: () => void;
  /** Where a transaction's part waits for its other tables' parts (cross-table-gate.ts); the stream joins it. */
  readonly gate: CrossTableGate;
}

/** The table whose columns the service knows before any record: the one it was built for. */
const ORDERS_COLLECTION = 'public.orders';

/**
 * A table's count column when COUNT_BY names none: its first column of an enum type or boolean —
 * few values by its nature (a text column with a CHECK looks like any text: name it in COUNT_BY).
 */
export function defaultCountBy(columns: readonly { readonly name: string; readonly kind: string }[]): string | null {
  return columns.find((column) => column.kind === 'enum' || column.kind === 'boolean')?.name ?? null;
}

/** Values a count column holds before any row has them: orders' three statuses (its CHECK constraint). */
function countSeed(table: TableConfig): (column: string) => readonly string[] {
  return (column) => (table.name === 'orders' && column === 'status' ? ORDER_STATUSES : []);
}

export function createTableStream(config: Config, table: TableConfig, deps: TableStreamDeps): TableStream {
  const { hub, metrics, degraded, now } = deps;
  const log = table.name === 'orders' ? deps.log : deps.log.child({ table: table.name });
  // Orders' columns are known before its first record (the table as created); another table's are
  // not: until its topic brings a row, it has none (welcome lists it without columns, and a
  // subscription to it waits: nothing is shown that the database did not say).
  const view = new TableView(table.collection === ORDERS_COLLECTION ? undefined : new ColumnCatalog(columnSet([])));
  const ring = new ChangeRing(config.ringCapacity);
  // The view learns its key from its first record (or its checkpoint); rows are identified by it.
  const countBy = () => table.countBy ?? defaultCountBy(view.catalog.columns.columns);
  const windows = new WindowRegistry(() => view.unorderedRows(), {
    idOf: (row) => view.idOf(row),
    // Read when a window opens: a table's columns may come (its first record) or change (a DDL) later.
    get countBy() {
      return countBy();
    },
    countSeed: countSeed(table),
  });
  const pipeline = createPipeline({
    view,
    ring,
    windows,
    hub,
    metrics,
    degraded,
    log: log.child({ module: 'pipeline' }),
    now,
    live: () => feed.caughtUp,
    collection: table.collection,
    table: table.name,
    onLongWait: deps.onLongWait,
    gate: deps.gate,
  });
  const groupPrefix = `${config.kafka.clientId}-${config.serverId}`;
  // The first table's checkpoint sits in CHECKPOINT_DIR itself (as before there were tables), the others' in a folder each.
  const dir = config.checkpoint && (table.topic === config.kafka.topic ? config.checkpoint.dir : join(config.checkpoint.dir, table.name));
  const checkpoint =
    config.checkpoint && dir
      ? new CheckpointStore(
          {
            view,
            ring,
            feed: {
              get facts() {
                return feed.facts;
              },
              positions: () => feed.positions(),
            },
            atBoundary: () => pipeline.idle(),
            degraded,
            caughtUp: () => feed.caughtUp,
            log: log.child({ module: 'checkpoint' }),
            now,
          },
          { ...config.checkpoint, dir, topic: table.topic },
        )
      : undefined;
  const feed: ChangeFeed = new ChangeFeed(
    {
      kafka: deps.kafka,
      log: log.child({ module: 'change-feed' }),
      now,
      onFetch: (fetch, atEnd) => pipeline.onFetch(fetch, atEnd),
      onCaughtUp: () => hub.caughtUp(table.name),
    },
    {
      topic: table.topic,
      groupPrefix: table.topic === config.kafka.topic ? groupPrefix : `${groupPrefix}-${table.name}`,
      ...(checkpoint ? { resumeFrom: (facts: TopicFacts) => checkpoint.load(facts) } : {}),
    },
  );
  deps.gate.addTable({
    name: table.name,
    collection: table.collection,
    atEnd: () => feed.caughtUp && feed.lag === 0,
    deliver: (units) => pipeline.deliver(units),
  });
  return { config: table, countBy, view, ring, windows, pipeline, feed, checkpoint };
}
