/**
 * What the table asks the server for: a sort (any column, either direction), status chips and a
 * search over customer or product, and how they live in the URL (per tab, across reloads, shareable).
 * Pure. The server does the work: the query becomes the window's filter and orderBy.
 *
 *   ?sort=amount&dir=desc&status=pending,shipped&q=Ada&in=customer&match=prefix&case=any
 *   ?table=customers&chip=pro&chip=enterprise
 *
 * `status` is orders' status chips (its three statuses, comma-separated). Another table's chips are
 * those of its count column (welcome's countBy: customers' tier), one `chip` parameter per value
 * pressed, the value as the counts name it (any string, so no commas to split on: `true`/`false` for
 * a boolean column, `3` for an int one); they filter that column with eq/in as the status chips do.
 * A filter holds one condition per column: a search in the chips' own column (customers' tier) stands
 * in for the chips while it has text.
 *
 * Bad parameters are dropped (the default stands), never an error: a URL is typed by people. Sort and
 * search may name any column (a column a DDL added is sortable and searchable at once); one the table
 * does not have is dropped once the columns say so, with a note (query-columns.ts).
 * The search is one column at a time because a window's filter ANDs its columns (docs/protocol.md).
 */
import {
  MAX_FILTER_TEXT_LENGTH,
  MAX_FILTER_VALUES,
  ORDER_STATUSES,
  columnNameSchema,
  type ColumnKind,
  type LiveRow,
  type OrderBy,
  type RowId,
  type OrderStatus,
  type SubscriptionFilter,
  type SortKey,
} from '@orders-live/protocol';

/** A column of the table as the columns frame names it: the original ones, or any a DDL added. */
export type ColumnName = string;
export type SearchColumn = ColumnName;
export type SearchMatch = 'prefix' | 'contains';

export interface TableQuery {
  readonly sort: OrderBy;
  /** Statuses shown; empty means all. Kept in ORDER_STATUSES order. */
  readonly statuses: readonly OrderStatus[];
  /** The search text ('' for none), the column it searches and how; `anyCase`: ignoring case (else case-sensitive). */
  readonly search: { readonly text: string; readonly column: SearchColumn; readonly match: SearchMatch; readonly anyCase: boolean };
  /** The chips of another table's count column (absent: none, as on orders, whose chips are `statuses`). */
  readonly chips?: ColumnChips;
}

/** A table's count column as chips that filter it (customers' tier). */
export interface ColumnChips {
  readonly column: ColumnName;
  /** The column's kind: how a value as the counts name it (a string) becomes the filter's (a number, a boolean). */
  readonly kind: ColumnKind;
  /** The values shown, as the counts name them; empty means all. Kept in compareChipValues order. */
  readonly values: readonly string[];
}

/** Kinds whose wire form is a number or a boolean: the counts name their values in JSON ("3", "true"). */
const JSON_KINDS: readonly ColumnKind[] = ['int', 'bigint', 'float', 'boolean'];

/**
 * A chip's value (as the counts name it) as the filter's value of a column of `kind`; undefined when
 * no value of that kind is named so (a URL typed by hand: `chip=abc` on an int column). A text
 * column's null is counted as "null", with the text "null": filterForQuery asks for both.
 */
export function chipFilterValue(value: string, kind: ColumnKind): string | number | boolean | null | undefined {
  if (!JSON_KINDS.includes(kind)) return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (parsed === null) return null;
  if (kind === 'boolean') return typeof parsed === 'boolean' ? parsed : undefined;
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
}

/** The chips' order: numbers by value ("9" before "10"), anything else by its code units. */
export function compareChipValues(a: string, b: string): number {
  const [x, y] = [Number(a), Number(b)];
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The URL parameter of another table's chips, once per value pressed. */
export const CHIP_PARAM = 'chip';

/** The chips a URL presses, of `chips`' column: values of its kind, once each, at most MAX_FILTER_VALUES. */
function chipsFromParams(params: URLSearchParams, chips: ColumnChips): ColumnChips {
  const values = [...new Set(params.getAll(CHIP_PARAM))].filter((value) => chipFilterValue(value, chips.kind) !== undefined);
  return { ...chips, values: values.sort(compareChipValues).slice(0, MAX_FILTER_VALUES) };
}

/** Newest first: what someone watching a live table wants to see. */
export const DEFAULT_QUERY: TableQuery = {
  sort: { column: 'id', direction: 'desc' },
  statuses: [],
  search: { text: '', column: 'customer_name', match: 'contains', anyCase: false },
};

/** The short names the URL uses for the original search columns (`in=customer`); any other column goes by its name. */
const SEARCH_ALIASES: Readonly<Record<string, SearchColumn>> = { customer: 'customer_name', product: 'product_name' };

function columnParam(value: string | null): ColumnName | undefined {
  return value !== null && columnNameSchema.safeParse(value).success ? value : undefined;
}

/** `defaults`: the table's default query (table-choice.ts), what a parameter left out means; its `chips` say the table's count column. */
export function queryFromSearch(search: string, defaults: TableQuery = DEFAULT_QUERY): TableQuery {
  const params = new URLSearchParams(search);
  const column = columnParam(params.get('sort'));
  const direction = params.get('dir') === 'asc' ? 'asc' : params.get('dir') === 'desc' ? 'desc' : undefined;
  const wanted = new Set((params.get('status') ?? '').split(','));
  const text = (params.get('q') ?? '').slice(0, MAX_FILTER_TEXT_LENGTH);
  const inParam = params.get('in') ?? '';
  const searchColumn = SEARCH_ALIASES[inParam] ?? columnParam(inParam) ?? defaults.search.column;
  const match = params.get('match') === 'prefix' ? 'prefix' : 'contains';
  return {
    sort: column ? { column, direction: direction ?? 'asc' } : defaults.sort,
    statuses: ORDER_STATUSES.filter((status) => wanted.has(status)),
    search: { text, column: searchColumn, match, anyCase: params.get('case') === 'any' },
    ...(defaults.chips ? { chips: chipsFromParams(params, defaults.chips) } : {}),
  };
}

/** The URL parameters a query is kept in (a table switch drops them all: table-choice.ts). */
export const QUERY_PARAMS: readonly string[] = ['sort', 'dir', 'status', CHIP_PARAM, 'q', 'in', 'match', 'case'];

/** `search` (location.search) with the query's parameters set, defaults (the table's) left out, others kept. */
export function searchWithQuery(search: string, query: TableQuery, defaults: TableQuery = DEFAULT_QUERY): string {
  const params = new URLSearchParams(search);
  for (const name of QUERY_PARAMS) params.delete(name);
  const isDefaultSort = query.sort.column === defaults.sort.column && query.sort.direction === defaults.sort.direction;
  if (!isDefaultSort) {
    params.set('sort', query.sort.column);
    params.set('dir', query.sort.direction);
  }
  if (query.statuses.length > 0) params.set('status', query.statuses.join(','));
  for (const value of query.chips?.values ?? []) params.append(CHIP_PARAM, value);
  if (query.search.text !== '') {
    params.set('q', query.search.text);
    const alias = Object.entries(SEARCH_ALIASES).find(([, column]) => column === query.search.column)?.[0];
    params.set('in', alias ?? query.search.column);
    params.set('match', query.search.match);
  }
  // Kept with the search box empty too: the box stays ticked, and so does the link to this view.
  if (query.search.anyCase) params.set('case', 'any');
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The window's filter; undefined when everything is shown. `statuses: false` leaves the chips (status or another column's) out (for the counts). */
export function filterForQuery(
  query: TableQuery,
  options: { readonly statuses: boolean } = { statuses: true },
): SubscriptionFilter | undefined {
  // Any column may be searched; the server checks it against the table's columns.
  const filter: { [column: string]: SubscriptionFilter[string] } = {};
  if (options.statuses && query.statuses.length > 0 && query.statuses.length < ORDER_STATUSES.length) {
    filter.status = query.statuses.length === 1 ? { eq: query.statuses[0]! } : { in: [...query.statuses] };
  }
  // Every value pressed, even all the chips there are: a value no row has yet is not among them.
  const chips = query.chips;
  if (options.statuses && chips && chips.values.length > 0) {
    // Null is a value here (a number column's chip "null"); values of the wrong kind never get in (chipsFromParams).
    const values = chips.values.flatMap((value) => {
      const typed = chipFilterValue(value, chips.kind);
      // The counts name a text column's null "null", as the text "null": the chip is both, as its count.
      return typed === 'null' ? ['null', null] : [typed === undefined ? value : typed];
    });
    filter[chips.column] = values.length === 1 ? { eq: values[0]! } : { in: values };
  }
  const text = query.search.text;
  // caseInsensitive only when asked: a case-sensitive search's filter is the same as before the option was.
  const anyCase = query.search.anyCase ? { caseInsensitive: true } : {};
  if (text !== '')
    filter[query.search.column] = query.search.match === 'prefix' ? { prefix: text, ...anyCase } : { contains: text, ...anyCase };
  return Object.keys(filter).length === 0 ? undefined : filter;
}

/** Two queries ask for the same rows (maybe in another order): the same filter text. */
export function sameFilter(a: TableQuery, b: TableQuery): boolean {
  return JSON.stringify(filterForQuery(a)) === JSON.stringify(filterForQuery(b));
}

/** A header click: the same column flips its direction, another column sorts ascending. */
export function nextSort(query: TableQuery, column: ColumnName): TableQuery {
  const direction = query.sort.column === column && query.sort.direction === 'asc' ? 'desc' : 'asc';
  return { ...query, sort: { column, direction } };
}

/** A status chip pressed: added to the shown statuses, or taken out. */
export function toggleStatus(query: TableQuery, status: OrderStatus): TableQuery {
  const shown = new Set(query.statuses);
  if (shown.has(status)) shown.delete(status);
  else shown.add(status);
  return { ...query, statuses: ORDER_STATUSES.filter((candidate) => shown.has(candidate)) };
}

/** Another table's chip pressed: added to the values shown, or taken out. */
export function toggleChip(query: TableQuery, value: string): TableQuery {
  if (!query.chips) return query;
  const shown = new Set(query.chips.values);
  if (shown.has(value)) shown.delete(value);
  else shown.add(value);
  return { ...query, chips: { ...query.chips, values: [...shown].sort(compareChipValues) } };
}

/**
 * The sort key just before `row` in the query's order: a keyset window `after` it starts at the row
 * (and its `offset` says the row's rank), which is how the page finds a row it wants to show.
 * `id` is the row's id under the table's key and `idColumn` its one key column, if it has one (a
 * sort by it sorts by the id itself).
 */
export function keyBefore(row: LiveRow, sort: TableQuery['sort'], id: RowId, idColumn?: string): SortKey {
  const before = sort.direction === 'asc' ? idJustBelow(id) : idJustAbove(id);
  const value = sort.column === idColumn ? before : (row[sort.column] ?? null);
  // Arrays are not sortable (never a sort column); the protocol's sort keys are scalars.
  return { value: Array.isArray(value) ? null : (value as SortKey['value']), id: before };
}

/** Code units after a string id's last one lowered: below the id, above any id a database would hold below it. */
const BELOW_PADDING = '\uffff'.repeat(8);

/** The id right above `id` in row id order (compareRowIds): a number's next, a string with NUL added (its successor). */
export function idJustAbove(id: RowId): RowId {
  return typeof id === 'number' ? id + 1 : `${id}\u0000`;
}

/**
 * An id right below `id`: a number's previous; for a string, its last code unit lowered and high
 * ones after it, so no key a table holds falls between (a string's exact predecessor has no end).
 */
export function idJustBelow(id: RowId): RowId {
  if (typeof id === 'number') return id - 1;
  if (id === '') return id;
  const last = id.charCodeAt(id.length - 1);
  return last === 0 ? id.slice(0, -1) : `${id.slice(0, -1)}${String.fromCharCode(last - 1)}${BELOW_PADDING}`;
}
