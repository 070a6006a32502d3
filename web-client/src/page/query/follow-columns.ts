/**
 * Keeps the page's query (sort, chips, search) to columns the table has. Two ways to learn that one
 * is gone: a `columns` frame that lacks it (fitQuery drops it, with a note), or the server refusing
 * or ending the table's subscription with E_UNKNOWN_COLUMN (a URL naming a column that never was, a
 * DDL that dropped the sorted column). Then the page subscribes once with the default query, which
 * names no such column, only to hear the columns; the query is fitted to them and subscribed again.
 * No DOM, no client: the page's actions are passed in.
 */
import { ERROR_CODES, type ColumnInfo } from '@orders-live/protocol';
import { fitQuery } from './query-columns.js';
import { DEFAULT_QUERY, type TableQuery } from './table-query.js';

export interface FollowColumnsDeps {
  readonly current: () => TableQuery;
  /** The table's default query (table-choice.ts): what stands in for a part dropped, and what a probe asks. */
  readonly defaults?: () => TableQuery;
  /** Subscribes with this query (and keeps it in the URL), even when it asks for the same as now. */
  readonly apply: (query: TableQuery) => void;
  /** Subscribes with this query (the default), leaving the page's query (and URL) as they are. */
  readonly probe: (query: TableQuery) => void;
  /** Says what was dropped (undefined: nothing to say). */
  readonly note: (text: string | undefined) => void;
}

export class FollowColumns {
  readonly #deps: FollowColumnsDeps;
  /** Subscribed with the default query to learn the columns. */
  #probing = false;

  constructor(deps: FollowColumnsDeps) {
    this.#deps = deps;
  }

  /** The table subscription's columns frame. */
  columns(columns: readonly ColumnInfo[]): void {
    const fitted = fitQuery(this.#deps.current(), columns, this.#defaults());
    const probing = this.#probing;
    this.#probing = false;
    if (fitted.notes.length > 0) {
      this.#deps.note(fitted.notes.join(' '));
      this.#deps.apply(fitted.query);
    } else if (probing) this.#deps.apply(fitted.query);
  }

  /** An error frame for the table subscription. */
  serverError(code: string): void {
    if (code !== ERROR_CODES.UNKNOWN_COLUMN || this.#probing) return;
    this.#probing = true;
    this.#deps.probe(this.#defaults());
  }

  #defaults(): TableQuery {
    return this.#deps.defaults?.() ?? DEFAULT_QUERY;
  }
}
