/**
 * The in-memory view of one table: row id (its primary key, row-id.ts) → row, plus the log position it reflects.
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
 *
 * Columns. Rows are held as the table has them, whatever its columns are now: every record says its
 * own columns (decoder), and the view follows the table through a DDL when it applies the first
 * record written under different columns — it rewrites the rows it holds as Postgres did
 * (row-migration.ts) and publishes the new columns through its ColumnCatalog. Old records replayed
 * from the topic carry old columns; applied in topic order they lead every replica, live or
 * rebuilding, through the same columns to the same rows.
 */
import {
  ORIGIN,
  changedColumns,
  compareRowIds,
  formatCursor,
  isAfter,
  rowIdFunction,
  type LiveRow,
  type Position,
  type RowId,
  type RowKey,
} from '@orders-live/protocol';
import type { DecodedRecord, TableRow } from '../ingest/debezium/decoder.js';
import type { ColumnSet } from './column-set.js';
import { ColumnCatalog } from './column-catalog.js';
import { migrateRow, planMigration } from './row-migration.js';
import type { CheckpointState } from './checkpoint.js';

/** One change to the table as every subscriber sees it (the wire frame adds the subscription id). */
export type TableOp = 'insert' | 'update' | 'delete';

/**
 * The rows as the hub, the windows and the wire format type them: whatever columns the table has
 * (TableRow). Which columns a row really has is the catalog's (the clients' columns frame).
 */
export type WireRow = LiveRow;
const asWire = (row: TableRow): WireRow => row;

export interface TableChange {
  readonly op: TableOp;
  /** The primary key's values (the record key). */
  readonly key: RowKey;
  /** The row's id: rowIdOf(the table's key, row) (row-id.ts). */
  readonly id: RowId;
  readonly row: WireRow | null;
  readonly oldRow: WireRow | null;
  /**
   * The columns whose value the change altered, over every column the table has now (added ones
   * included); every column for an insert or a delete. Computed here once: table frames, window
   * diffs and the page all use this list.
   */
  readonly changed: readonly string[];
  readonly commitTime: number;
  /** When the change's record was written to Kafka (the record's timestamp), epoch ms. */
  readonly kafkaTime: number;
  /** Postgres' transaction id (source.txId); null where the event has none (a tombstone). */
  readonly txId: number | null;
  /** The event's WAL position (source.lsn); null where the event has none (a tombstone). */
  readonly lsn: number | null;
  readonly position: Position;
  /** formatCursor(position), computed once. */
  readonly cursor: string;
}

/**
 * How many deleted rows' last LSNs are kept to recognise replays of their older events. A replay
 * spans the events since Connect last flushed its offsets (seconds), far fewer than this.
 */
export const DELETED_ROWS_REMEMBERED = 100_000;

export class TableView {
  readonly #rows = new Map<RowId, TableRow>();
  /** The primary key's columns, from the first record (or the checkpoint); undefined before either. */
  #key: readonly string[] | undefined;
  #idOf: ((row: LiveRow) => RowId) | undefined;
  readonly #catalog: ColumnCatalog;
  /** Column names of the catalog's columns, in order. */
  #names: readonly string[];
  /** id → LSN of the last event applied to the row (live rows). */
  readonly #lsnById = new Map<RowId, number>();
  /** id → LSN of the delete, for recently deleted rows; oldest first (Map keeps insertion order). */
  readonly #deletedLsn = new Map<RowId, number>();
  #position: Position = ORIGIN;
  #duplicatesDropped = 0;

  /** `key`: the table's primary-key columns when known before any record (else the first record's). */
  constructor(catalog: ColumnCatalog = new ColumnCatalog(), key?: readonly string[]) {
    this.#catalog = catalog;
    this.#names = catalog.columns.columns.map((c) => c.name);
    if (key) this.#setKey(key);
  }

  #setKey(key: readonly string[]): void {
    this.#key = key;
    this.#idOf = rowIdFunction(key);
  }

  /** The primary key's columns, in key order; undefined until a record or a checkpoint said. */
  get key(): readonly string[] | undefined {
    return this.#key;
  }

  /** A row's id under the table's key (row-id.ts). */
  idOf(row: LiveRow): RowId {
    return (this.#idOf ?? rowIdFunction(['id']))(row);
  }

  /** The table's columns as the rows in the view have them. */
  get catalog(): ColumnCatalog {
    return this.#catalog;
  }

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

  /** Rows in row id order (row-id.ts: the primary key's). */
  rows(): WireRow[] {
    return [...this.#rows.entries()].sort(([a], [b]) => compareRowIds(a, b)).map(([, row]) => asWire(row));
  }

  /** Rows in no particular order, without copying. */
  *unorderedRows(): IterableIterator<WireRow> {
    for (const row of this.#rows.values()) yield asWire(row);
  }

  get(id: RowId): WireRow | undefined {
    const row = this.#rows.get(id);
    return row && asWire(row);
  }

  /**
   * Applies one decoded record found at `position`. `recordTimeMs` (the Kafka record's timestamp)
   * dates changes whose event carries no commit time (tombstones). Records at or before the view's
   * position are ignored: they are already in it.
   */
  apply(record: DecodedRecord, position: Position, recordTimeMs: number): TableChange[] {
    if (!isAfter(position, this.#position)) return [];
    const at = { position, cursor: formatCursor(position), kafkaTime: recordTimeMs };
    // A record key holds the key's columns, in key order: the first one tells the view its key, and
    // every one is its row's id by the same function as the row.
    if (this.#key === undefined) this.#setKey(Object.keys(record.key));
    const id = this.idOf(record.key);

    switch (record.kind) {
      case 'row': {
        const lastLsn = this.#lsnById.get(id) ?? this.#deletedLsn.get(id);
        if (lastLsn !== undefined && record.source.lsn <= lastLsn) {
          this.#position = position;
          this.#duplicatesDropped += 1;
          return [];
        }
        // Listeners hear of new columns while the view is still at the record before this one, its
        // rows migrated: exactly the table right after the DDL. This record's change follows.
        if (record.columns.fingerprint !== this.#catalog.columns.fingerprint) this.#followColumns(record.columns, position);
        this.#position = position;
        const previous = this.#rows.get(id);
        if (record.after === null) {
          this.#rememberDeleted(id, record.source.lsn);
          return previous ? [this.#delete(id, record.key, previous, record.source, at)] : [];
        }
        const after = record.after;
        this.#deletedLsn.delete(id);
        this.#lsnById.set(id, record.source.lsn);
        if (previous) {
          const changed = changedColumns(this.#names, previous, after);
          if (changed.length === 0) return [];
          this.#rows.set(id, after);
          return [
            {
              op: 'update',
              key: record.key,
              id,
              row: asWire(after),
              oldRow: asWire(previous),
              changed,
              commitTime: record.source.commitTimeMs,
              txId: record.source.txId,
              lsn: record.source.lsn,
              ...at,
            },
          ];
        }
        this.#rows.set(id, after);
        return [
          {
            op: 'insert',
            key: record.key,
            id,
            row: asWire(after),
            oldRow: null,
            changed: this.#names,
            commitTime: record.source.commitTimeMs,
            txId: record.source.txId,
            lsn: record.source.lsn,
            ...at,
          },
        ];
      }
      case 'tombstone': {
        this.#position = position;
        // Compaction may have removed the delete itself; the tombstone still means "gone".
        const previous = this.#rows.get(id);
        return previous ? [this.#delete(id, record.key, previous, { commitTimeMs: recordTimeMs, txId: null, lsn: null }, at)] : [];
      }
    }
  }

  /**
   * What a checkpoint keeps of the view (checkpoint.ts), copied in one synchronous step so it stays
   * consistent while it is written: the rows (immutable objects, shared not cloned), each row's last
   * LSN, the recently deleted rows' LSNs, the position and the columns.
   */
  checkpointState(): Pick<CheckpointState, 'position' | 'columns' | 'columnsPosition' | 'key' | 'rows' | 'lsns' | 'deleted'> {
    const rows: TableRow[] = new Array<TableRow>(this.#rows.size);
    const lsns: number[] = new Array<number>(this.#rows.size);
    let i = 0;
    for (const [id, row] of this.#rows) {
      rows[i] = row;
      // Every row came from a row event, so it has an LSN; 0 would only let a replay through.
      lsns[i] = this.#lsnById.get(id) ?? 0;
      i += 1;
    }
    return {
      position: this.#position,
      columns: this.#catalog.columns,
      columnsPosition: this.#catalog.position,
      key: this.#key ?? null,
      rows,
      lsns,
      deleted: [...this.#deletedLsn],
    };
  }

  /**
   * Loads a checkpoint into a view that has applied nothing yet: afterwards it is the view it was
   * when the checkpoint was taken (rows, columns, position, dedupe state).
   */
  restore(state: Pick<CheckpointState, 'position' | 'columns' | 'columnsPosition' | 'key' | 'rows' | 'lsns' | 'deleted'>): void {
    if (this.#rows.size > 0 || this.#deletedLsn.size > 0 || isAfter(this.#position, ORIGIN))
      throw new Error('a checkpoint is loaded into an empty view only');
    if (state.columns.fingerprint !== this.#catalog.columns.fingerprint || isAfter(state.columnsPosition, this.#catalog.position)) {
      this.#catalog.replace(state.columns, state.columnsPosition, []);
      this.#names = state.columns.columns.map((c) => c.name);
    }
    if (state.key) this.#setKey(state.key);
    for (let i = 0; i < state.rows.length; i++) {
      const row = state.rows[i]!;
      const id = this.idOf(row);
      this.#rows.set(id, row);
      this.#lsnById.set(id, state.lsns[i]!);
    }
    for (const [id, lsn] of state.deleted) this.#deletedLsn.set(id, lsn);
    this.#position = state.position;
  }

  /** The table's columns changed (a DDL): rewrite the rows held as Postgres did, then tell listeners. */
  #followColumns(next: ColumnSet, position: Position): void {
    const plan = planMigration(this.#catalog.columns, next);
    for (const [id, row] of this.#rows) this.#rows.set(id, migrateRow(row, plan));
    this.#names = next.columns.map((c) => c.name);
    this.#catalog.replace(next, position, plan.unknownValues);
  }

  #rememberDeleted(id: RowId, lsn: number): void {
    this.#lsnById.delete(id);
    this.#deletedLsn.delete(id);
    this.#deletedLsn.set(id, lsn);
    if (this.#deletedLsn.size > DELETED_ROWS_REMEMBERED) {
      this.#deletedLsn.delete(this.#deletedLsn.keys().next().value!);
    }
  }

  /** `source`: the delete's commit time, txId and LSN (a tombstone has only the record's time). */
  #delete(
    id: RowId,
    key: RowKey,
    row: TableRow,
    source: { commitTimeMs: number; txId: number | null; lsn: number | null },
    at: { position: Position; cursor: string; kafkaTime: number },
  ): TableChange {
    this.#rows.delete(id);
    this.#lsnById.delete(id);
    const { commitTimeMs: commitTime, txId, lsn } = source;
    return { op: 'delete', key, id, row: null, oldRow: asWire(row), changed: this.#names, commitTime, txId, lsn, ...at };
  }
}
