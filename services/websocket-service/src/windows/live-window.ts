/**
 * One distinct live window: a query (filter, orderBy, limit, position) over a sorted index, its
 * current rows, and what each transaction does to them. Shared by every subscriber of the same
 * query; pure but for reading the index it is given.
 *
 * Positions (see WindowQuery): an offset window keeps its rank and its rows shift under it; a keyset
 * window keeps its anchor key and its rank shifts. Descending order walks the same ascending index
 * backwards, so a desc window is ORDER BY column DESC, id DESC (nulls first), exactly mirrored.
 */
import { diffWindows, type LiveRow, type SortKey, type TransactionSummary, type WindowOp, type WindowQuery } from '@orders-live/protocol';
import { compareEntries, type IndexEntry, type SortedIndex, type TreeIterator } from './sorted-index.js';
import type { TransactionCauses } from './transaction-causes.js';

export interface WindowState {
  readonly rows: readonly LiveRow[];
  /** Rank of the first row in the window's order (where it would be, when there are no rows). */
  readonly offset: number;
  readonly total: number;
  readonly counts: Record<string, number>;
}

export interface WindowChange extends WindowState {
  readonly ops: WindowOp[];
  /** The transaction's changes of rows matching the window's filter (window-registry.ts sets it). */
  readonly summary?: TransactionSummary;
}

export class LiveWindow {
  readonly key: string;
  readonly query: WindowQuery;
  #index: SortedIndex;
  #state: WindowState;
  #rowsJson: string | undefined;
  /**
   * The entry of the window's last row (in the window's own order) when the window is full and
   * reaches to it from its start (an offset or `after` window): a change landing beyond it alters no
   * row shown. Undefined otherwise (every change is looked at).
   */
  #farEnd: IndexEntry | undefined;

  /** The column the window counts by (the query's, else the table's default); null: none. */
  readonly countBy: string | null;

  constructor(key: string, query: WindowQuery, index: SortedIndex, countBy: string | null = query.countBy ?? index.table.countBy ?? null) {
    this.key = key;
    this.query = query;
    this.countBy = countBy;
    this.#index = index;
    this.#state = this.#compute();
    this.#rowsJson = undefined;
  }

  get index(): SortedIndex {
    return this.#index;
  }

  /** Reads a rebuilt index from now on (after a schema change); the state is recomputed, no diff. */
  rebase(index: SortedIndex): void {
    this.#index = index;
    this.#state = this.#compute();
    this.#rowsJson = undefined;
  }

  get state(): WindowState {
    return this.#state;
  }

  /**
   * The state's rows as JSON, serialised once per state: every subscriber opening this window gets
   * the same text (a thousand pages on fifty windows serialise fifty windows, not a thousand).
   */
  get rowsJson(): string {
    this.#rowsJson ??= JSON.stringify(this.#state.rows);
    return this.#rowsJson;
  }

  /**
   * Recomputes the window after its index changed; undefined when nothing a client sees moved.
   * `causes`: the transaction that changed the index, so each step says what made it (which columns
   * changed, the change's LSN, why a row left); without it, the bare steps.
   */
  refresh(causes?: TransactionCauses, touched?: readonly IndexEntry[]): WindowChange | undefined {
    const previous = this.#state;
    if (touched && this.#beyondFarEnd(touched)) return this.#recount(previous);
    const next = this.#compute();
    const steps = diffWindows(previous.rows, next.rows, this.index.table.idOf, causes?.changedOf);
    const ops = causes ? causes.annotate(steps, this.index.filters) : steps;
    this.#state = next;
    this.#rowsJson = undefined;
    if (ops.length === 0 && next.offset === previous.offset && next.total === previous.total && sameCounts(next.counts, previous.counts))
      return undefined;
    return { ...next, ops };
  }

  /**
   * Every touched entry (a row's old or new place in the index) lies beyond the window's far end, in
   * the window's order: the rows shown, their order and the window's start are as they were (what
   * comes before the start, or between it and the far end, is not touched). With 50 windows over a
   * 100,000-row table most changes land beyond most windows: they cost a comparison, not a recompute
   * and a diff.
   */
  #beyondFarEnd(touched: readonly IndexEntry[]): boolean {
    const far = this.#farEnd;
    if (!far) return false;
    const asc = this.query.orderBy.direction === 'asc';
    for (const entry of touched) {
      const order = compareEntries(entry, far);
      if (asc ? order <= 0 : order >= 0) return false;
    }
    return true;
  }

  /** The rows as they were; only the total and the counts may have moved. */
  #recount(previous: WindowState): WindowChange | undefined {
    const { total } = this.index;
    const counts = this.index.counts(this.countBy);
    if (total === previous.total && sameCounts(counts, previous.counts)) return undefined;
    this.#state = { ...previous, total, counts };
    return { ...this.#state, ops: [] };
  }

  #probe(key: SortKey): IndexEntry {
    return this.index.probe(key.value, key.id);
  }

  #compute(): WindowState {
    this.#farEnd = undefined;
    const { tree, total } = this.index;
    const { limit, orderBy } = this.query;
    const asc = orderBy.direction === 'asc';
    const rows: LiveRow[] = [];
    let start: TreeIterator;
    let backwards = false;
    if (this.query.after) start = asc ? tree.gt(this.#probe(this.query.after)) : tree.lt(this.#probe(this.query.after));
    else if (this.query.before) {
      start = asc ? tree.lt(this.#probe(this.query.before)) : tree.gt(this.#probe(this.query.before));
      backwards = true;
    } else {
      const offset = this.query.offset ?? 0;
      if (offset >= total) return { rows, offset, total, counts: this.index.counts(this.countBy) };
      start = tree.at(asc ? offset : total - 1 - offset);
    }
    // Forward in window order is next() ascending, prev() descending; `before` walks backwards.
    const ascending = asc !== backwards;
    if (!start.valid) {
      // No rows: the rank where the window would begin.
      const offset = this.query.after ? total : this.query.before ? 0 : (this.query.offset ?? 0);
      return { rows, offset, total, counts: this.index.counts(this.countBy) };
    }
    const startRank = start.index;
    let last: IndexEntry | undefined;
    for (const it = start; it.valid && rows.length < limit; ascending ? it.next() : it.prev()) {
      last = it.key!;
      rows.push(last.row!);
    }
    // A `before` window reaches back from its anchor: what lands between its rows and the anchor matters.
    if (!backwards && rows.length === limit) this.#farEnd = last;
    const farRank = startRank + (ascending ? 1 : -1) * (rows.length - 1);
    if (backwards) rows.reverse();
    // The ascending rank of the window's first row, then its rank in the window's own order.
    const firstRank = backwards ? farRank : startRank;
    const offset = asc ? firstRank : total - 1 - firstRank;
    return { rows, offset, total, counts: this.index.counts(this.countBy) };
  }
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
