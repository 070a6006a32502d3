/**
 * A table query (sort, status chips, search) held against the table's columns as the last `columns`
 * frame gives them: a part naming a column the table does not have — a URL typed by hand, a sort on
 * a column a DDL then dropped or renamed — is dropped (the default stands), and the page says which
 * and why. Sorting needs a sortable column, a search one of a text kind, the status chips a
 * `status` column, another table's chips their count column. Pure.
 */
import { sortable, TEXT_KINDS, type ColumnInfo } from '@orders-live/protocol';
import { COLUMN_LABELS } from '../table/table-columns.js';
import { DEFAULT_QUERY, type TableQuery } from './table-query.js';

export interface FittedQuery {
  readonly query: TableQuery;
  /** What was dropped, as sentences for the page; empty when the query fits. */
  readonly notes: readonly string[];
}

const label = (name: string) => COLUMN_LABELS[name] ?? name;

/** `defaults`: the table's default query (table-choice.ts), what stands in for a part dropped. */
export function fitQuery(query: TableQuery, columns: readonly ColumnInfo[], defaults: TableQuery = DEFAULT_QUERY): FittedQuery {
  const byName = new Map(columns.map((column) => [column.name, column]));
  const notes: string[] = [];
  let fitted = query;
  const sortColumn = byName.get(query.sort.column);
  if (!sortColumn || !sortable(sortColumn)) {
    notes.push(
      sortColumn
        ? `Not sorted by ${label(query.sort.column)}: a column of kind ${sortColumn.kind} cannot be sorted.`
        : `Not sorted by ${query.sort.column}: the table has no such column (any more).`,
    );
    fitted = { ...fitted, sort: defaults.sort };
  }
  const searchColumn = byName.get(query.search.column);
  if (query.search.text !== '' && (!searchColumn || !TEXT_KINDS.includes(searchColumn.kind))) {
    notes.push(
      searchColumn
        ? `Search for "${query.search.text}" dropped: ${label(query.search.column)} is not a text column.`
        : `Search for "${query.search.text}" dropped: the table has no column ${query.search.column} (any more).`,
    );
    fitted = { ...fitted, search: defaults.search };
  } else if (query.search.text === '' && !searchColumn) {
    // Nothing searched: the box just falls back to a column that exists, without a word.
    fitted = { ...fitted, search: { ...fitted.search, column: defaults.search.column } };
  }
  if (query.statuses.length > 0 && !byName.has('status')) {
    notes.push('Status filter dropped: the table has no status column (any more).');
    fitted = { ...fitted, statuses: [] };
  }
  const chips = query.chips;
  if (chips && chips.values.length > 0 && !byName.has(chips.column)) {
    notes.push(`${label(chips.column)} filter dropped: the table has no ${chips.column} column (any more).`);
    fitted = { ...fitted, chips: { ...chips, values: [] } };
  }
  return { query: fitted, notes };
}
