/**
 * Which table the page shows, and the query each starts from. Pure.
 *
 *   ?table=customers   the table, as welcome's tables name it; left out for orders (the default)
 *
 * A table's default query sorts by its first key column, newest (largest) first — orders' id desc,
 * as before — and searches its first text column. Orders alone has a write API (the create form,
 * the row buttons); every other table is read-only on the page. Switching tables keeps what of the
 * old query the new table's columns can take, silently (a query of another table is not the reader's
 * mistake), and drops the rest; the chips always go (they name values of the old table's count
 * column); other URL parameters and the fragment (the access token) stay. A table other than orders
 * with a count column (welcome's countBy) has chips of it that filter (table-query.ts `chip=`).
 */
import { DEFAULT_TABLE, sortable, tableNameSchema, TEXT_KINDS, type ColumnInfo, type TableInfo } from '@orders-live/protocol';
import { fitQuery } from '../query/query-columns.js';
import { DEFAULT_QUERY, QUERY_PARAMS, queryFromSearch, searchWithQuery, type TableQuery } from '../query/table-query.js';

/** The URL parameter that names the table. */
export const TABLE_PARAM = 'table';

/** What the page needs to know of a table (welcome's TableInfo, or less before the welcome came). */
export type TableShapeInfo = Pick<TableInfo, 'name' | 'key' | 'columns' | 'countBy'>;

/** Orders as the page knows it before any welcome: its key, columns and counts are the page's own defaults. */
export const ORDERS_TABLE: TableShapeInfo = { name: DEFAULT_TABLE, key: ['id'], columns: [], countBy: 'status' };

/** The table the URL names; orders when it names none, or one that is no table name. */
export function tableFromSearch(search: string): string {
  const value = new URLSearchParams(search).get(TABLE_PARAM);
  return value !== null && tableNameSchema.safeParse(value).success ? value : DEFAULT_TABLE;
}

/** Only orders has the write API (create, advance, delete). */
export function writable(table: string): boolean {
  return table === DEFAULT_TABLE;
}

/** The column the search looks in first: a text column not of the key (a name, not a uuid), else any of a text kind (not orders' status: the chips filter it). */
function firstTextColumn(columns: readonly ColumnInfo[], key: readonly string[]): string | undefined {
  const searchable = columns.filter((column) => TEXT_KINDS.includes(column.kind) && column.name !== 'status');
  return (searchable.find((column) => column.kind === 'text' && !key.includes(column.name)) ?? searchable[0])?.name;
}

/** The query a table starts from. Orders keeps the page's (id desc, search by customer). */
export function defaultQueryFor(table: TableShapeInfo): TableQuery {
  if (table.name === DEFAULT_TABLE) return DEFAULT_QUERY;
  const keyColumn = table.key[0];
  const sortColumn = keyColumn ?? table.columns.find((column) => sortable(column))?.name ?? DEFAULT_QUERY.sort.column;
  const countColumn = table.columns.find((column) => column.name === table.countBy);
  return {
    sort: { column: sortColumn, direction: 'desc' },
    statuses: [],
    search: { ...DEFAULT_QUERY.search, text: '', column: firstTextColumn(table.columns, table.key) ?? '' },
    ...(countColumn ? { chips: { column: countColumn.name, kind: countColumn.kind, values: [] } } : {}),
  };
}

/** The page's query from the URL, for its table: parameters left out mean the table's defaults. */
export function queryForTable(search: string, table: TableShapeInfo): TableQuery {
  return queryFromSearch(search, defaultQueryFor(table));
}

/**
 * The URL and query after switching from `query` to `next`: the parts `next`'s columns can take are
 * kept (none when its columns are not known yet), the rest fall back to its defaults; no chip stays pressed.
 */
export function switchTable(
  search: string,
  query: TableQuery,
  next: TableShapeInfo,
): { readonly search: string; readonly query: TableQuery } {
  const defaults = defaultQueryFor(next);
  const fitted = next.columns.length === 0 ? defaults : fitQuery(query, next.columns, defaults).query;
  const { chips: _chips, ...rest } = fitted;
  const kept: TableQuery = { ...rest, statuses: defaults.statuses, ...(defaults.chips ? { chips: defaults.chips } : {}) };
  const params = new URLSearchParams(search);
  for (const name of QUERY_PARAMS) params.delete(name);
  if (next.name === DEFAULT_TABLE) params.delete(TABLE_PARAM);
  else params.set(TABLE_PARAM, next.name);
  const others = params.toString();
  return { search: searchWithQuery(others === '' ? '' : `?${others}`, kept, defaults), query: kept };
}
