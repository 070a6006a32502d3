/**
 * The in-memory view of the orders table: primary key → row, plus the log position it reflects.
 * Pure: apply(record, position) mutates only the view and returns the changes clients must see.
 *
 * The op clients see is derived from the view, not copied from Debezium: a snapshot read of a row
 * the view lacks is an insert, a replayed event that changes nothing yields nothing. So applying the
 * same record twice never shows a client the same change twice.
 */
import { ORDER_COLUMNS, ORIGIN, formatCursor, type ChangeOp, type OrderKey, type OrderRow, type Position } from '@orders-live/protocol';
import type { DecodedRecord } from './debezium/decoder.js';

/** One change to the table as every subscriber sees it (the wire frame adds the subscription id). */
export interface TableChange {
  readonly op: ChangeOp;
  readonly key: OrderKey;
  readonly row: OrderRow | null;
  readonly oldRow: OrderRow | null;
  readonly changed: readonly string[];
  readonly commitTime: number;
  readonly cursor: string;
}

function changedColumns(before: OrderRow, after: OrderRow): string[] {
  return ORDER_COLUMNS.filter((column) => before[column] !== after[column]);
}

function isAfter(a: Position, b: Position): boolean {
  return a.partition !== b.partition ? a.partition > b.partition : a.offset > b.offset;
}

export class OrdersView {
  readonly #rows = new Map<number, OrderRow>();
  #position: Position = ORIGIN;

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
    const cursor = formatCursor(position);

    switch (record.kind) {
      case 'row': {
        const previous = this.#rows.get(record.key.id);
        if (record.after === null) {
          return previous ? [this.#delete(previous, record.source.commitTimeMs, cursor)] : [];
        }
        const after = record.after;
        if (previous) {
          const changed = changedColumns(previous, after);
          if (changed.length === 0) return [];
          this.#rows.set(after.id, after);
          return [{ op: 'update', key: record.key, row: after, oldRow: previous, changed, commitTime: record.source.commitTimeMs, cursor }];
        }
        this.#rows.set(after.id, after);
        return [{ op: 'insert', key: record.key, row: after, oldRow: null, changed: ORDER_COLUMNS, commitTime: record.source.commitTimeMs, cursor }];
      }
      case 'tombstone': {
        // Compaction may have removed the delete itself; the tombstone still means "gone".
        const previous = this.#rows.get(record.key.id);
        return previous ? [this.#delete(previous, recordTimeMs, cursor)] : [];
      }
      case 'truncate':
        return this.rows().map((row) => this.#delete(row, record.source.commitTimeMs, cursor));
    }
  }

  #delete(row: OrderRow, commitTime: number, cursor: string): TableChange {
    this.#rows.delete(row.id);
    return { op: 'delete', key: { id: row.id }, row: null, oldRow: row, changed: ORDER_COLUMNS, commitTime, cursor };
  }
}
