/**
 * A sorted index of the view: the rows matching one filter, in one column's order (then row id), with
 * their count per value of the columns windows count by (countBy). Kept in step with the view by apply(change); a window reads it by rank
 * (offset) or by sort key (keyset), in either direction. O(log n) per change and per seek.
 *
 * The structure is functional-red-black-tree: a balanced tree whose nodes know their subtree sizes,
 * so `at(rank)` and an iterator's `index` are O(log n) — what an offset window (a scrollbar over a
 * million rows) needs. (js-sdsl's OrderedSet finds by position in O(n); sorted-btree has no ranks.)
 * It is persistent: every insert copies one path, which the GC takes back at once; the tree held is
 * always the latest.
 *
 * The tree holds entries: a row with its sort column's collation key (collation-key.ts in the
 * protocol), computed once when the row goes in, so comparisons never parse a decimal or an instant.
 */
import type createRBTree from 'functional-red-black-tree';
import {
  MAX_COUNT_VALUES,
  ORDER_STATUSES,
  collationKeyFor,
  compareCollationKeys,
  compareRowIds,
  type CollationKey,
  type ColumnValue,
  type LiveRow,
  type RowId,
} from '@orders-live/protocol';
import type { TableChange } from '../table/table-view.js';
import { matchesSubscriberFilter, type SubscriberFilter } from '../fanout/subscriber-filter.js';
import { treeFromSorted } from './tree-from-sorted.js';

/** A position in the index's order: a row's entry, or a probe (a sort key) that has no row. */
export interface IndexEntry {
  readonly key: CollationKey;
  readonly id: RowId;
  readonly row: LiveRow | undefined;
}

/** What an index knows of its table: how a row's id is found, and the values a count column starts with. */
export interface IndexTable {
  readonly idOf: (row: LiveRow) => RowId;
  /** Values counted (at 0) before any row has them (orders: its three statuses); none when absent. */
  readonly countSeed?: (column: string) => readonly string[];
  /** The column a window counts by when its query names none; null or absent: no counts. */
  readonly countBy?: string | null;
}

/** Orders as created: its bigint id, counts by status (its three values from the start); what an index or registry given no table serves. */
export const ORDERS_INDEX_TABLE: IndexTable = {
  idOf: (row) => row['id'] as number,
  countBy: 'status',
  countSeed: (column) => (column === 'status' ? ORDER_STATUSES : []),
};

/** The value a row is counted under in a count column. */
function countKey(value: LiveRow[string]): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

export type Tree = createRBTree.Tree<IndexEntry, undefined>;
export type TreeIterator = createRBTree.Iterator<IndexEntry, undefined>;

/**
 * A transaction this large against the index (at least 1/BULK_SHARE of its rows, and BULK_MIN_CHANGES)
 * is applied by rebuilding the tree — the untouched entries walked in order, merged with the new
 * ones sorted, the tree built at once (tree-from-sorted.ts) — instead of a removal and an insertion
 * per change: each of those copies a path of the persistent tree (~17 nodes), so 20,000 changes on
 * 28 indexes made a million short-lived nodes and seconds of garbage collection; the rebuild is
 * O(n + k log k) and makes one tree.
 */
export const BULK_SHARE = 16;
export const BULK_MIN_CHANGES = 256;

/** The index's order: the sort column's collation key, then row id. */
export const compareEntries = (a: IndexEntry, b: IndexEntry): number =>
  compareCollationKeys(a.key, b.key) || (typeof a.id === 'number' && typeof b.id === 'number' ? a.id - b.id : compareRowIds(a.id, b.id));

export class SortedIndex {
  readonly column: string;
  readonly filters: SubscriberFilter;
  readonly table: IndexTable;
  #tree: Tree;
  readonly #keyOf: (value: ColumnValue) => CollationKey;
  /** Per count column a window asked for: rows per value (kept at 0 once seen). */
  readonly #counts = new Map<string, Map<string, number>>();
  /** Entries removed or inserted since takeTouched(): where changes landed, for the windows to tell whether they see them. */
  #touched: IndexEntry[] = [];

  /**
   * Only the rows matching `filters` are kept, from `source`: rows in any order (sorted here), or an
   * index in this column's order that holds every row `filters` matches (a wider filter: its entries
   * are walked in order and kept as they are, so nothing is sorted or keyed again).
   */
  constructor(column: string, filters: SubscriberFilter, source: Iterable<LiveRow> | SortedIndex, table: IndexTable = ORDERS_INDEX_TABLE) {
    this.column = column;
    this.filters = filters;
    this.table = table;
    // The column's kind as of the index's filters (the table's columns when it was built).
    const kind = filters.lookup(column) ?? { kind: 'text' };
    this.#keyOf = collationKeyFor(kind);
    // Built at once from the sorted entries (tree-from-sorted.ts): no insert per row.
    const entries: IndexEntry[] = [];
    if (source instanceof SortedIndex && source.column === column && (source.filters.lookup(column)?.kind ?? 'text') === kind.kind) {
      for (let it = source.#tree.begin; it.valid; it.next()) this.#keep(entries, it.key!.row!, it.key);
    } else {
      for (const row of source instanceof SortedIndex ? source.rows() : source) this.#keep(entries, row, undefined);
      entries.sort(compareEntries);
    }
    this.#tree = treeFromSorted(compareEntries, entries);
  }

  #keep(entries: IndexEntry[], row: LiveRow, entry: IndexEntry | undefined): void {
    if (!this.#matches(row)) return;
    entries.push(entry ?? this.#entry(row));
  }

  get total(): number {
    return this.#tree.length;
  }

  get tree(): Tree {
    return this.#tree;
  }

  /**
   * Rows matching the filters, per value of `column` (counted from the rows the first time a window
   * asks, then kept in step); empty for no column, and for a column with more than MAX_COUNT_VALUES values.
   */
  counts(column: string | null): Record<string, number> {
    if (column === null) return {};
    let counts = this.#counts.get(column);
    if (!counts) {
      counts = new Map((this.table.countSeed?.(column) ?? []).map((value) => [value, 0]));
      for (const row of this.rows()) {
        const value = countKey(row[column]);
        counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      this.#counts.set(column, counts);
    }
    return counts.size > MAX_COUNT_VALUES ? {} : Object.fromEntries(counts);
  }

  /** Every matching row, in ascending order. */
  *rows(): Generator<LiveRow> {
    for (let it = this.#tree.begin; it.valid; it.next()) yield it.key!.row!;
  }

  /** The position of a sort key (a value of the column and an id) in this index's order. */
  probe(value: ColumnValue, id: RowId): IndexEntry {
    return { key: this.#keyOf(value), id, row: undefined };
  }

  #entry(row: LiveRow): IndexEntry {
    return { key: this.#keyOf((row[this.column] ?? null) as ColumnValue), id: this.table.idOf(row), row };
  }

  /** The entries removed or inserted since the last call, in no particular order. */
  takeTouched(): readonly IndexEntry[] {
    const touched = this.#touched;
    this.#touched = [];
    return touched;
  }

  /**
   * Applies a transaction's changes in order; `applied` hears each one that changed the index (a
   * matching row before or after). The tree ends as change-by-change application would leave it,
   * rebuilt at once when the transaction is large (see BULK_SHARE), unless `bulk` says otherwise.
   */
  applyAll(changes: readonly TableChange[], applied: (change: TableChange) => void, bulk?: boolean): void {
    const rebuild = bulk ?? (changes.length >= BULK_MIN_CHANGES && changes.length * BULK_SHARE >= this.total);
    if (!rebuild) {
      for (const change of changes) if (this.apply(change)) applied(change);
      return;
    }
    // Which rows the transaction touched here, and each one's last version (null: gone from the index).
    const latest = new Map<RowId, LiveRow | null>();
    for (const change of changes) {
      const before = change.oldRow !== null && this.#matches(change.oldRow);
      const after = change.row !== null && this.#matches(change.row);
      if (!before && !after) continue;
      applied(change);
      if (before) this.#count(change.oldRow, -1);
      if (after) this.#count(change.row, 1);
      const id = change.id;
      if (before) this.#touched.push(this.#entry(change.oldRow));
      const entry = after ? this.#entry(change.row) : undefined;
      if (entry) this.#touched.push(entry);
      latest.set(id, after ? change.row : null);
    }
    const added: IndexEntry[] = [];
    for (const row of latest.values()) if (row) added.push(this.#entry(row));
    added.sort(compareEntries);
    const merged: IndexEntry[] = [];
    let next = 0;
    for (let it = this.#tree.begin; it.valid; it.next()) {
      const kept = it.key!;
      if (latest.has(kept.id)) continue;
      while (next < added.length && compareEntries(added[next]!, kept) < 0) merged.push(added[next++]!);
      merged.push(kept);
    }
    while (next < added.length) merged.push(added[next++]!);
    this.#tree = treeFromSorted(compareEntries, merged);
  }

  #count(row: LiveRow, delta: number): void {
    for (const [column, counts] of this.#counts) {
      const key = countKey(row[column]);
      counts.set(key, (counts.get(key) ?? 0) + delta);
    }
  }

  /** Applies one change; true when the index changed (a matching row before or after). */
  apply(change: TableChange): boolean {
    const before = change.oldRow !== null && this.#matches(change.oldRow);
    const after = change.row !== null && this.#matches(change.row);
    if (before) this.#remove(change.oldRow);
    if (after) this.#insert(change.row);
    return before || after;
  }

  #matches(row: LiveRow): boolean {
    return matchesSubscriberFilter(this.filters, row);
  }

  #insert(row: LiveRow): void {
    const entry = this.#entry(row);
    this.#touched.push(entry);
    this.#tree = this.#tree.insert(entry, undefined);
    this.#count(row, 1);
  }

  #remove(row: LiveRow): void {
    const entry = this.#entry(row);
    const found = this.#tree.find(entry);
    if (!found.valid) return;
    this.#touched.push(entry);
    this.#tree = found.remove();
    // Found, so it was counted when it went in.
    this.#count(row, -1);
  }
}
