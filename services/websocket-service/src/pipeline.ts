/**
 * The path of a change inside the service, in one place, in this order:
 *
 *   fetches of the table's topic (change-feed.ts) → decode (and gaps: decode-fetch.ts)
 *     + markers of the transaction topic (transaction-feed.ts)
 *     → transactions (held until whole, transactions.ts) → apply (the view) → ring (kept for resumes)
 *     → windows (indexes and live windows) → broadcast (the hub) → metrics
 *
 * A transaction is applied to the view only once it is whole, so the view — and every snapshot or
 * window a subscriber gets from it — only ever holds states the database held (guarantee 7). The
 * steps from apply to broadcast run in one synchronous call, so no subscribe falls between them.
 */
import { DEFAULT_TABLE } from '@orders-live/protocol';
import type { ChangeRing } from './stream/ring.js';
import type { TableView, TableChange } from './table/table-view.js';
import type { WindowRegistry } from './windows/window-registry.js';
import type { DeliveredTransaction, Hub } from './fanout/hub.js';
import { decodeFetch, type DecodeDeps, type RawFetch } from './ingest/decode-fetch.js';
import type { TransactionMarker } from './ingest/debezium/transaction-marker.js';
import { RECEIVING_SHOWN_AFTER_MS } from './stream/freshness.js';
import { TransactionAssembler, type HeldRecord, type Receiving, type ReleasedUnit } from './stream/transactions.js';
import type { CrossTableGate } from './stream/cross-table-gate.js';

/** How often held transactions are looked at again (rule 3 of transactions.ts is a matter of time). */
const RELEASE_CHECK_INTERVAL_MS = 250;

export interface Pipeline {
  /** One fetch of the table's topic as Kafka gave it, in order; `atEnd`: the partition held nothing more. */
  readonly onFetch: (fetch: RawFetch, atEnd: boolean) => void;
  /** The same, already decoded (decodeFetch). */
  readonly onRecords: (records: readonly HeldRecord[], atEnd: boolean) => void;
  /** One fetch of the transaction topic, decoded, in order. */
  readonly onMarkers: (markers: readonly TransactionMarker[]) => void;
  /** Every commit up to this time has reached the clients (epoch ms); null until known. */
  readonly watermark: () => number | null;
  /** The oldest transaction still being received, or null. */
  readonly receiving: () => Receiving | null;
  /** Nothing is held: the view reflects every record read (a checkpoint may be taken). */
  readonly idle: () => boolean;
  /** Applies whole transactions to the view and delivers them (what the cross-table gate calls). */
  readonly deliver: (units: readonly ReleasedUnit[]) => void;
  readonly start: () => void;
  readonly stop: () => void;
}

interface PipelineDeps extends DecodeDeps {
  readonly view: TableView;
  readonly ring: ChangeRing;
  readonly windows: WindowRegistry;
  readonly hub: Hub;
  /** False while catching up at start-up: commit → sent would only measure how old the topic is. */
  readonly live: () => boolean;
  /** The data collection the table's events count under in Debezium's END markers ("public.orders"). */
  readonly collection: string;
  /** A transaction clients were told was arriving is whole and delivered: they may hear so at once. */
  readonly onLongWait?: () => void;
  /**
   * Where released transactions wait for their other tables' parts (cross-table-gate.ts), when the
   * service serves several tables; absent: delivered at once.
   */
  readonly gate?: CrossTableGate;
}

export function createPipeline(deps: PipelineDeps): Pipeline {
  const { view, ring, windows, hub, metrics, now, live } = deps;
  const table = deps.table ?? DEFAULT_TABLE;
  const assembler = new TransactionAssembler(deps.collection);
  let timer: NodeJS.Timeout | undefined;

  /** Applies whole transactions to the view and delivers them; a schema change is delivered at its place. */
  const deliver = (units: readonly ReleasedUnit[]) => {
    const delivered: DeliveredTransaction[] = [];
    const duplicatesBefore = view.duplicatesDropped;
    const close = (unit: ReleasedUnit, changes: TableChange[]) => {
      if (changes.length === 0) return;
      for (const change of changes) ring.push(change);
      const last = changes[changes.length - 1]!;
      const batch = { txId: unit.txId ?? last.txId, commitTime: last.commitTime, kafkaTime: last.kafkaTime, changes };
      delivered.push({ batch, windows: windows.apply(batch) });
    };
    for (const unit of units) {
      metrics.transactionsReleased.inc({ by: unit.by });
      let changes: TableChange[] = [];
      for (const { record, position, kafkaTime } of unit.records) {
        if (record.kind === 'row' && record.columns.fingerprint !== view.catalog.columns.fingerprint) {
          // The view follows the new columns while applying this record, and the hub resyncs its
          // clients then: everything before it is delivered first, in the old shape.
          close(unit, changes);
          changes = [];
          hub.broadcast(delivered.splice(0), undefined, table);
        }
        for (const change of view.apply(record, position, kafkaTime)) changes.push(change);
      }
      close(unit, changes);
    }
    metrics.duplicatesDropped.inc(view.duplicatesDropped - duplicatesBefore);
    // Called even with nothing to send: held subscriptions are released when the view reaches their cursor.
    hub.broadcast(delivered, undefined, table);
    if (units.some((unit) => unit.heldMs >= RECEIVING_SHOWN_AFTER_MS)) deps.onLongWait?.();
    if (live()) {
      const sentAt = now();
      for (const { batch } of delivered)
        for (const change of batch.changes) metrics.commitToSentMs.observe(Math.max(0, sentAt - change.commitTime));
    }
  };

  const { gate } = deps;
  /** Whole units go to the gate, which delivers them when their other tables' parts are in too; none: at once. */
  const hand = (units: readonly ReleasedUnit[], at: number) => {
    // Called even with nothing to send: held subscriptions are released when the view reaches their cursor.
    if (!gate || units.length === 0) {
      if (!gate || gate.heldCount(table) === 0) deliver(units);
      return;
    }
    gate.offer(table, units, at);
    gate.drain(at);
  };

  const releaseNow = () => {
    const at = now();
    const units = assembler.release(at);
    if (units.length > 0) hand(units, at);
    // A part waited for may have settled as missing.
    gate?.drain(at);
  };

  const onRecords = (records: readonly HeldRecord[], atEnd: boolean) => {
    const at = now();
    for (const record of records) assembler.addRecord(record, at);
    assembler.fetched(atEnd);
    hand(assembler.release(at), at);
  };

  /** A transaction of this table waiting for another table's part, as `receiving` reports one. */
  const gatedReceiving = (): Receiving | null => {
    const first = gate?.firstHeld(table);
    if (!first) return null;
    return { txId: first.txId, events: first.records.length, expected: first.records.length, heldForMs: first.heldMs, quietForMs: 0 };
  };

  return {
    onFetch: (fetch, atEnd) => onRecords(decodeFetch(fetch, deps), atEnd),
    onRecords,
    onMarkers: (markers) => {
      const at = now();
      for (const marker of markers) assembler.addMarker(marker, at);
      releaseNow();
    },
    // A transaction waiting in the gate has not reached clients: the watermark stays below its commit.
    watermark: () => {
      const mark = assembler.watermark;
      const held = gate?.oldestHeld(table);
      return mark === null || held === undefined ? mark : Math.min(mark, held - 1);
    },
    receiving: () => assembler.receiving(now()) ?? gatedReceiving(),
    idle: () => assembler.idle && (gate?.heldCount(table) ?? 0) === 0,
    deliver,
    start: () => {
      timer = setInterval(releaseNow, RELEASE_CHECK_INTERVAL_MS);
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}
