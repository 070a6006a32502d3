/**
 * The distinct windows and the sorted indexes they read, shared by all subscribers and kept in step
 * with the view. An index exists per distinct (filter, sort column), built on first use — from an
 * index of the same filter in another order when there is one (its rows are already filtered), else
 * from the view. An index whose last window goes is kept a while, still maintained (idle; when a new
 * index is built, idle ones beyond MAX_IDLE_INDEXES or MAX_IDLE_INDEX_ROWS rows go, the least recently
 * used first): a page
 * that scrolls or flips a sort's direction releases its window and asks for another over the same
 * index a moment later, and must not wait for the index to be built again. A window exists per
 * distinct query, dropped with its last subscriber. A change costs O(log n) per index plus the
 * windows over indexes it touched.
 */
import type { ColumnLookup, LiveRow, TransactionSummary, WindowQuery } from '@orders-live/protocol';
import { filterKey } from '@orders-live/protocol';
import { ORDERS_INDEX_TABLE, SortedIndex, type IndexEntry as IndexPlace, type IndexTable } from './sorted-index.js';
import { LiveWindow, type WindowChange } from './live-window.js';
import type { TransactionBatch } from '../stream/transactions.js';
import type { SubscriberFilter } from '../fanout/subscriber-filter.js';
import { transactionCauses } from './transaction-causes.js';

interface IndexEntry {
  index: SortedIndex;
  readonly filterKey: string;
  windows: number;
}

interface WindowEntry {
  readonly window: LiveWindow;
  readonly indexKey: string;
  subscribers: number;
}

/** Idle indexes kept for a window that may come back (a page scrolling, re-sorting, unfiltering). */
export const MAX_IDLE_INDEXES = 8;
/** Rows all idle indexes may hold together: ~100 B each (entry and node), so ≤ ~200 MB. */
export const MAX_IDLE_INDEX_ROWS = 2_000_000;

/** The canonical text of a conjunction of filters (order kept: it does not change what matches). */
function subscriberFilterKey(filters: SubscriberFilter): string {
  return filters.parts.map(filterKey).join('&');
}

/** What the registry knows of its table: row ids, the default count column and its seed values. */
export type WindowTable = IndexTable;

export class WindowRegistry {
  readonly #rows: () => Iterable<LiveRow>;
  readonly #table: WindowTable;
  readonly #indexes = new Map<string, IndexEntry>();
  readonly #windows = new Map<string, WindowEntry>();

  /** `rows` gives the view's current rows, to build an index no other index can seed. */
  constructor(rows: () => Iterable<LiveRow>, table: WindowTable = ORDERS_INDEX_TABLE) {
    this.#rows = rows;
    this.#table = table;
  }

  /** Indexes some window reads. */
  get indexCount(): number {
    let count = 0;
    for (const entry of this.#indexes.values()) if (entry.windows > 0) count += 1;
    return count;
  }

  /** Indexes no window reads now, kept (and maintained) for one that comes back. */
  get idleIndexCount(): number {
    return this.#indexes.size - this.indexCount;
  }

  get windowCount(): number {
    return this.#windows.size;
  }

  /** The window of this query (filters: the token's and the client's), created if new; release() it when done. */
  acquire(filters: SubscriberFilter, query: WindowQuery): LiveWindow {
    const fKey = subscriberFilterKey(filters);
    const column = query.orderBy.column;
    const countBy = query.countBy ?? this.#table.countBy ?? null;
    const indexKey = `${fKey}|${column}`;
    const windowKey = `${indexKey}|${JSON.stringify([query.orderBy.direction, query.limit, query.offset ?? null, query.after ?? null, query.before ?? null, countBy])}`;
    const existing = this.#windows.get(windowKey);
    if (existing) {
      existing.subscribers += 1;
      return existing.window;
    }
    let indexEntry = this.#indexes.get(indexKey);
    if (indexEntry?.windows === 0) {
      // Back from idle: most recently used again.
      this.#indexes.delete(indexKey);
      this.#indexes.set(indexKey, indexEntry);
    }
    if (!indexEntry) {
      // Room for the new index: idle ones beyond the bounds go now, the only time memory grows. Not on
      // release: a page that resubscribes (a filter chip: both its sockets go, then come back) lets go
      // of indexes it asks for again a moment later.
      this.#evictIdle();
      indexEntry = { index: new SortedIndex(column, filters, this.#seedFor(filters, column), this.#table), filterKey: fKey, windows: 0 };
      this.#indexes.set(indexKey, indexEntry);
    }
    indexEntry.windows += 1;
    const window = new LiveWindow(windowKey, query, indexEntry.index, countBy);
    this.#windows.set(windowKey, { window, indexKey, subscribers: 1 });
    return window;
  }

  /**
   * What a new index is built from, cheapest first: the smallest index in the same order whose filter
   * is part of this one (walked in order, nothing sorted: a status chip on a sorted table), else an
   * index of the same filter in another order (its rows are already filtered), else the view.
   */
  #seedFor(filters: SubscriberFilter, column: string): Iterable<LiveRow> | SortedIndex {
    const parts = new Set(filters.parts.map(filterKey));
    let wider: SortedIndex | undefined;
    for (const { index } of this.#indexes.values()) {
      if (index.column !== column || !index.filters.parts.every((part) => parts.has(filterKey(part)))) continue;
      if (!wider || index.total < wider.total) wider = index;
    }
    if (wider) return wider;
    const fKey = subscriberFilterKey(filters);
    const sibling = [...this.#indexes.values()].find((entry) => entry.filterKey === fKey);
    return sibling ? sibling.index : this.#rows();
  }

  release(window: LiveWindow): void {
    const entry = this.#windows.get(window.key);
    if (!entry || entry.window !== window) return;
    entry.subscribers -= 1;
    if (entry.subscribers > 0) return;
    this.#windows.delete(window.key);
    const indexEntry = this.#indexes.get(entry.indexKey);
    if (!indexEntry) return;
    indexEntry.windows -= 1;
    if (indexEntry.windows > 0) return;
    // Idle now, and the most recently used of the idle ones (Map order is use order).
    this.#indexes.delete(entry.indexKey);
    this.#indexes.set(entry.indexKey, indexEntry);
  }

  /**
   * Drops the least recently used idle indexes until fewer than MAX_IDLE_INDEXES remain (the one about
   * to be built may go idle too) and they hold at most MAX_IDLE_INDEX_ROWS rows.
   */
  #evictIdle(): void {
    const idle = [...this.#indexes].filter(([, entry]) => entry.windows === 0);
    let rows = idle.reduce((sum, [, entry]) => sum + entry.index.total, 0);
    let count = idle.length;
    for (const [key, entry] of idle) {
      if (count < MAX_IDLE_INDEXES && rows <= MAX_IDLE_INDEX_ROWS) return;
      this.#indexes.delete(key);
      count -= 1;
      rows -= entry.index.total;
    }
  }

  /**
   * The table's columns changed and the view's rows were replaced by migrated ones: every index is
   * built again from the view (comparing by the columns' kinds now), every window recomputed on it.
   */
  rebuild(lookup: ColumnLookup): void {
    // An idle index may filter or sort by a column that is gone: dropped, built again if asked for.
    for (const [key, entry] of [...this.#indexes]) if (entry.windows === 0) this.#indexes.delete(key);
    for (const entry of this.#indexes.values()) {
      const old = entry.index;
      entry.index = new SortedIndex(old.column, { parts: old.filters.parts, lookup }, this.#rows(), this.#table);
    }
    for (const entry of this.#windows.values()) entry.window.rebase(this.#indexes.get(entry.indexKey)!.index);
  }

  /** Applies a transaction to every index; returns what it did to each window it altered. */
  apply(batch: TransactionBatch): Map<LiveWindow, WindowChange> {
    // Per index, what the transaction did to its rows (the rows matching its filter): the diff
    // frame's summary, the whole transaction however little of it a window shows.
    const touched = new Map<SortedIndex, { inserted: number; updated: number; deleted: number }>();
    // Per index, where the transaction's changes landed: a window they all land beyond is not recomputed.
    const landed = new Map<SortedIndex, readonly IndexPlace[]>();
    for (const { index } of this.#indexes.values()) {
      index.applyAll(batch.changes, (change) => {
        const summary = touched.get(index) ?? { inserted: 0, updated: 0, deleted: 0 };
        summary[change.op === 'insert' ? 'inserted' : change.op === 'delete' ? 'deleted' : 'updated'] += 1;
        touched.set(index, summary);
      });
      landed.set(index, index.takeTouched());
    }
    const altered = new Map<LiveWindow, WindowChange>();
    if (touched.size === 0) return altered;
    // Each window is handed the transaction's changes, so its diff says what caused each step.
    const causes = transactionCauses(batch, this.#table.idOf);
    for (const { window } of this.#windows.values()) {
      if (!touched.has(window.index)) continue;
      const change = window.refresh(causes, landed.get(window.index));
      if (!change) continue;
      const summary: TransactionSummary = { ...touched.get(window.index)! };
      altered.set(window, { ...change, summary });
    }
    return altered;
  }
}
