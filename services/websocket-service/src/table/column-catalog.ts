/**
 * The table's columns as the view holds them, and who to tell when they change. The view replaces
 * them when it applies the first record written under a different schema (a DDL); listeners (the
 * hub, to send clients a columns frame) hear of it synchronously, before the changes of that record
 * are broadcast, so a client always knows a column before it sees a value in it.
 */
import { ORIGIN, formatCursor, type Position } from '@orders-live/protocol';
import type { ColumnSet } from './column-set.js';
import { LEGACY_COLUMNS } from '../ingest/debezium/legacy-columns.js';

interface ColumnsChange {
  readonly columns: ColumnSet;
  readonly previous: ColumnSet;
  /** Position of the first record written under the new columns. */
  readonly position: Position;
  readonly cursor: string;
  /**
   * Columns whose value on rows not written since the change the topic does not say (for example a
   * column retyped in a way whose old values cannot be converted exactly): those rows show null
   * there until they are next written.
   */
  readonly unknownValues: readonly string[];
}

type ColumnsListener = (change: ColumnsChange) => void;

export class ColumnCatalog {
  #columns: ColumnSet;
  #position: Position = ORIGIN;
  readonly #listeners = new Set<ColumnsListener>();

  constructor(initial: ColumnSet = LEGACY_COLUMNS) {
    this.#columns = initial;
  }

  get columns(): ColumnSet {
    return this.#columns;
  }

  /** Position of the record that brought the current columns (ORIGIN before any change). */
  get position(): Position {
    return this.#position;
  }

  /** Cursor of the record that brought the current columns (the origin before any change). */
  get cursor(): string {
    return formatCursor(this.#position);
  }

  onChange(listener: ColumnsListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Called by the view only. */
  replace(columns: ColumnSet, position: Position, unknownValues: readonly string[]): ColumnsChange {
    const change: ColumnsChange = { columns, previous: this.#columns, position, cursor: formatCursor(position), unknownValues };
    this.#columns = columns;
    this.#position = position;
    for (const listener of this.#listeners) listener(change);
    return change;
  }
}
