/**
 * The table the page shows, and the picker that switches it: the tables come in the welcome frame
 * (any client's), the choice lives in the URL (table-choice.ts). A switch is a new subscription with
 * what of the query the new table's columns take. Around the table, orders has the create form and
 * the status chips; another table a note that the page does not write it. A page opened on another
 * table than orders hears the welcome first (its key gives the default sort), on a client of its own.
 */
import type { OrdersLiveClient } from '@orders-live/client';
import { DEFAULT_TABLE, type ColumnInfo, type TableInfo } from '@orders-live/protocol';
import type { PageElements } from '../page-elements.js';
import type { TableQuery } from '../query/table-query.js';
import { showQueryInControls, showSearchColumns } from '../query/table-controls.js';
import { searchableColumns } from '../table/table-columns.js';
import { RowIdentity } from './row-identity.js';
import { ORDERS_TABLE, queryForTable, switchTable, tableFromSearch, writable, type TableShapeInfo } from './table-choice.js';

/** The URL's query string (location.search) and its replacement in place. */
export interface UrlSearch {
  search(): string;
  replace(search: string): void;
}

export interface PageTablesDeps {
  readonly elements: PageElements;
  readonly page: { showTable(identity: RowIdentity, writable: boolean): void; showColumns(columns: readonly ColumnInfo[]): void };
  /** The page's query now, and its new one (a switch, or the URL read for the table at start). */
  readonly query: () => TableQuery;
  readonly setQuery: (query: TableQuery) => void;
  readonly url: UrlSearch;
  /** Another table is shown (the query and controls are its): the page forgets the old one's columns and notes, subscribes. */
  readonly switched: (table: TableShapeInfo) => void;
  readonly notice: (text: string) => void;
}

export class PageTables {
  readonly #deps: PageTablesDeps;
  #shown: TableShapeInfo;
  #tables: readonly TableInfo[] = [];

  constructor(deps: PageTablesDeps) {
    this.#deps = deps;
    const wanted = tableFromSearch(deps.url.search());
    this.#shown = wanted === DEFAULT_TABLE ? ORDERS_TABLE : { name: wanted, key: [], columns: [], countBy: null };
    deps.elements.tablePicker.addEventListener('change', () => this.#switchTo(deps.elements.tablePicker.value));
    this.#show(this.#shown);
    if (wanted !== DEFAULT_TABLE) deps.setQuery(queryForTable(deps.url.search(), this.#shown));
  }

  /** The table shown (orders' shape, or another's once a welcome told it). */
  get shown(): TableShapeInfo {
    return this.#shown;
  }

  /** Its shape is known now (orders), or once a welcome frame is heard (`discover`: a client that hears it). */
  start(discover: () => OrdersLiveClient, subscribe: () => void): void {
    if (this.#shown.name === DEFAULT_TABLE) return subscribe();
    const client = discover();
    client.on('welcome', (frame) => {
      client.close();
      const info = frame.tables.find((candidate) => candidate.name === this.#shown.name);
      const shown = info ?? frame.tables.find((candidate) => candidate.name === DEFAULT_TABLE) ?? ORDERS_TABLE;
      if (!info) {
        this.#deps.notice(`There is no streamed table "${this.#shown.name}"; showing orders.`);
        this.#deps.url.replace(switchTable(this.#deps.url.search(), this.#deps.query(), shown).search);
      }
      this.#deps.setQuery(queryForTable(this.#deps.url.search(), shown));
      this.#show(shown);
      this.known(frame.tables);
      subscribe();
    });
    client.connect();
  }

  /** The tables a welcome frame lists: the picker offers them; the table shown takes its key (a DDL may change it). */
  known(tables: readonly TableInfo[]): void {
    this.#tables = tables;
    showTablePicker(this.#deps.elements.tablePicker, tables, this.#shown.name);
    const info = tables.find((candidate) => candidate.name === this.#shown.name);
    if (info && info.key.join() !== this.#shown.key.join()) this.#show(info);
    else if (info) this.#shown = info;
  }

  #switchTo(name: string): void {
    const next = this.#tables.find((candidate) => candidate.name === name);
    if (!next || next.name === this.#shown.name) return;
    const switched = switchTable(this.#deps.url.search(), this.#deps.query(), next);
    this.#deps.setQuery(switched.query);
    this.#deps.url.replace(switched.search);
    this.#show(next);
    if (next.columns.length > 0) this.#deps.page.showColumns(next.columns);
    const { elements } = this.#deps;
    showSearchColumns(elements.search.column, searchableColumns(next.columns), switched.query);
    showQueryInControls(elements, switched.query);
    this.#deps.switched(next);
  }

  #show(table: TableShapeInfo): void {
    this.#shown = table;
    this.#deps.page.showTable(new RowIdentity(table.name, table.key.length > 0 ? table.key : ORDERS_TABLE.key), writable(table.name));
    showTableChrome(this.#deps.elements, table.name);
  }
}

/** The picker offers the tables a welcome listed, the one shown chosen. */
function showTablePicker(picker: HTMLSelectElement, tables: readonly TableInfo[], shown: string): void {
  const names = tables.map((info) => info.name);
  if (!names.includes(shown)) names.unshift(shown);
  if (names.join() !== [...picker.options].map((option) => option.value).join()) {
    picker.replaceChildren(
      ...names.map((name) => {
        const option = picker.ownerDocument.createElement('option');
        option.value = name;
        option.textContent = name;
        return option;
      }),
    );
  }
  picker.value = shown;
}

/** A table's name as a heading says it: "order_lines" → "Order lines", "sales.invoices" → "Invoices". */
export function tableTitle(name: string): string {
  const words = name.slice(name.lastIndexOf('.') + 1).replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What differs around the table between orders and a read-only table: its name, the create form or the Adminer note, the chips. */
function showTableChrome(elements: PageElements, name: string): void {
  const qualified = name.includes('.') ? name : `public.${name}`;
  const doc = elements.table.ownerDocument;
  for (const testId of ['table-name', 'watching-table']) {
    const element = doc.querySelector(`[data-testid="${testId}"]`);
    if (element) element.textContent = qualified;
  }
  // "Orders", "Customers", "Order lines": the heading and the table's labels name the table shown.
  const title = tableTitle(name);
  for (const testId of ['table-title', 'table-heading']) {
    const element = doc.querySelector(`[data-testid="${testId}"]`);
    if (element) element.textContent = title;
  }
  elements.tableScroll.setAttribute('aria-label', `${title} table (scrolls)`);
  const canWrite = writable(name);
  elements.createPanel.hidden = !canWrite;
  elements.readOnlyNote.hidden = canWrite;
  elements.statusGroup.hidden = !canWrite;
  if (elements.tablePicker.value !== name) showTablePicker(elements.tablePicker, [], name);
}
