/**
 * The in-memory view of the orders table: primary key → row, plus the log position it reflects.
 * Pure: apply(record, position) mutates only the view and returns the changes clients must see.
 *
 * The op clients see is derived from the view, not copied from Debezium: a snapshot read of a row
 * the view lacks is an insert, an event that changes nothing yields nothing.
 *
 * Duplicates. Debezium is at-least-once: after a Connect crash it re-sends events from its last
 * flushed offset, at new Kafka offsets. Such a replay is recognised by its WAL position: for one row,
 * event LSNs grow strictly in commit order (a transaction holds the row's lock until it commits, so
 * the next writer's change is logged after that commit), even though LSNs across rows do not
 * (interleaved transactions commit out of LSN order). So the view remembers the LSN of the last event
 * applied to each row — deleted rows included, or a replayed insert would bring a deleted row back —
 * and drops an event whose LSN is not above it.
 */
import { ORDER_COLUMNS, ORIGIN, formatCursor, isAfter, type OrderKey, type OrderRow, type Position } from '@orders-live/protocol';
import type { DecodedRecord } from './debezium/decoder.js';

/** One change to the table as every subscriber sees it (the wire frame adds the subscription id). */
export type TableOp = 'insert' | 'update' | 'delete';

export interface TableChange {
  readonly op: TableOp;
  readonly key: OrderKey;
  readonly row: OrderRow | null;
  readonly oldRow: OrderRow | null;
  readonly changed: readonly string[];
  readonly commitTime: number;
  /** When the change's record was written to Kafka (the record's timestamp), epoch ms. */
  readonly kafkaTime: number;
  /** Postgres' transaction id (source.txId); null where the event has none (a tombstone). */
  readonly txId: number | null;
  readonly position: Position;
  /** formatCursor(position), computed once. */
  readonly cursor: string;
}

function changedColumns(before: OrderRow, after: OrderRow): string[] {
  return ORDER_COLUMNS.filter((column) => before[column] !== after[column]);
}

/**
 * How many deleted rows' last LSNs are kept to recognise replays of their older events. A replay
 * spans the events since Connect last flushed its offsets (seconds), far fewer than this.
 */
export const DELETED_ROWS_REMEMBERED = 100_000;

export class OrdersView {
  readonly #rows = new Map<number, OrderRow>();
  /** id → LSN of the last event applied to the row (live rows). */
  readonly #lsnById = new Map<number, number>();
  /** id → LSN of the delete, for recently deleted rows; oldest first (Map keeps insertion order). */
  readonly #deletedLsn = new Map<number, number>();
  #position: Position = ORIGIN;
  #duplicatesDropped = 0;

  /** Events recognised as Debezium replays and not applied. */
  get duplicatesDropped(): number {
    return this.#duplicatesDropped;
  }

  /** Cursor of the last record applied (ORIGIN_CURSOR before any). */
  get cursor(): string {
    return formatCursor(this.#position);
  }

  get position(): Position {
    return this.#position;
  }

  get size(): number {
    return this.#rows.size;
  }

  /** Rows in primary-key order. */
  rows(): OrderRow[] {
    return [...this.#rows.values()].sort((a, b) => a.id - b.id);
  }

  /** Rows in no particular order, without copying. */
  unorderedRows(): IterableIterator<OrderRow> {
    return this.#rows.values();
  }

  get(id: number): OrderRow | undefined {
    return this.#rows.get(id);
  }

  /**
   * Applies one decoded record found at `position`. `recordTimeMs` (the Kafka record's timestamp)
   * dates changes whose event carries no commit time (tombstones). Records at or before the view's
   * position are ignored: they are already in it.
   */
  apply(record: DecodedRecord, position: Position, recordTimeMs: number): TableChange[] {
    if (!isAfter(position, this.#position)) return [];
    this.#position = position;
    const at = { position, cursor: formatCursor(position), kafkaTime: recordTimeMs };

    switch (record.kind) {
      case 'row': {
        const id = record.key.id;
        const lastLsn = this.#lsnById.get(id) ?? this.#deletedLsn.get(id);
        if (lastLsn !== undefined && record.source.lsn <= lastLsn) {
          this.#duplicatesDropped += 1;
          return [];
        }
        const previous = this.#rows.get(id);
        if (record.after === null) {
          this.#rememberDeleted(id, record.source.lsn);
          return previous ? [this.#delete(previous, record.source.commitTimeMs, record.source.txId, at)] : [];
        }
        const after = record.after;
        this.#deletedLsn.delete(id);
        this.#lsnById.set(id, record.source.lsn);
        if (previous) {
          const changed = changedColumns(previous, after);
          if (changed.length === 0) return [];
          this.#rows.set(after.id, after);
          return [{ op: 'update', key: record.key, row: after, oldRow: previous, changed, commitTime: record.source.commitTimeMs, txId: record.source.txId, ...at }];
        }
        this.#rows.set(after.id, after);
        return [{ op: 'insert', key: record.key, row: after, oldRow: null, changed: ORDER_COLUMNS, commitTime: record.source.commitTimeMs, txId: record.source.txId, ...at }];
      }
      case 'tombstone': {
        // Compaction may have removed the delete itself; the tombstone still means "gone".
        const previous = this.#rows.get(record.key.id);
        return previous ? [this.#delete(previous, recordTimeMs, null, at)] : [];
      }
    }
  }

  #rememberDeleted(id: number, lsn: number): void {
    this.#lsnById.delete(id);
    this.#deletedLsn.delete(id);
    this.#deletedLsn.set(id, lsn);
    if (this.#deletedLsn.size > DELETED_ROWS_REMEMBERED) {
      this.#deletedLsn.delete(this.#deletedLsn.keys().next().value!);
    }
  }

  #delete(row: OrderRow, commitTime: number, txId: number | null, at: { position: Position; cursor: string; kafkaTime: number }): TableChange {
    this.#rows.delete(row.id);
    this.#lsnById.delete(row.id);
    return { op: 'delete', key: { id: row.id }, row: null, oldRow: row, changed: ORDER_COLUMNS, commitTime, txId, ...at };
  }
}
