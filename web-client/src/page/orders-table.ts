/**
 * The orders <table>: one <tr data-order-id> per order, one <td data-column> per column and a last
 * <td data-column="actions"> with the row's buttons. Rows are kept in the chosen sort order (sort.ts);
 * a header's button changes it. Replaced whole on a snapshot; changes are applied in place:
 *
 *   insert/enter  the row is put in its place and flashes (flash-insert)
 *   update        the changed cells flash (flash-update) and their title says what they were ("was: 2");
 *                 the row moves if the sort column changed
 *   delete/leave  the row fades out (fade-out), then is removed: at the animation's end, or after
 *                 FADE_OUT_REMOVE_MS at the latest (a hidden tab may not run animations)
 *
 * Text only (textContent, never innerHTML): row values come from the database and are not trusted as markup.
 */
import type { AppliedChange } from '@orders-live/client';
import { ORDER_COLUMNS, type OrderRow } from '@orders-live/protocol';
import { formatInstant } from './format.js';
import { nextStatus } from './status-flow.js';
import { DEFAULT_SORT, indexOfRow, insertionIndex, nextSort, sortRows, type SortOrder } from './sort.js';

type OrderColumn = keyof OrderRow;

/** Row classes/cell classes whose CSS animation marks a change; removed when the animation ends. */
export const FLASH_INSERT = 'flash-insert';
export const FLASH_UPDATE = 'flash-update';
export const FADE_OUT = 'fade-out';
/** The fade-out animation takes 600 ms (styles.css); the row goes at its end, or after 800 ms whatever happens. */
export const FADE_OUT_REMOVE_MS = 800;

/** The actions cell's buttons, found by these (row-actions.ts handles their clicks). */
export const ACTION_ADVANCE = 'advance';
export const ACTION_DELETE = 'delete';

const COLUMN_LABELS: Record<OrderColumn, string> = {
  id: 'ID',
  customer_name: 'Customer',
  product_name: 'Product',
  status: 'Status',
  quantity: 'Qty',
  amount: 'Amount',
  created_at: 'Created',
  updated_at: 'Updated',
};

const NUMERIC_COLUMNS: ReadonlySet<OrderColumn> = new Set(['id', 'quantity', 'amount']);

const ARROWS = { ascending: '▲', descending: '▼' } as const;

interface Entry {
  row: OrderRow;
  readonly tr: HTMLTableRowElement;
}

export interface OrdersTableDeps {
  readonly setTimeout: (run: () => void, delayMs: number) => unknown;
}

export class OrdersTable {
  readonly #document: Document;
  readonly #body: HTMLTableSectionElement;
  readonly #headers = new Map<OrderColumn, HTMLTableCellElement>();
  readonly #entries = new Map<number, Entry>();
  /** Rows fading out: no longer in the view, still on screen for a moment. */
  readonly #fading = new Map<number, HTMLTableRowElement>();
  readonly #setTimeout: OrdersTableDeps['setTimeout'];
  /** The rows in display order. */
  #sorted: OrderRow[] = [];
  #sort: SortOrder = DEFAULT_SORT;

  constructor(table: HTMLTableElement, deps: OrdersTableDeps) {
    this.#document = table.ownerDocument;
    this.#setTimeout = deps.setTimeout;
    const head = table.tHead ?? table.createTHead();
    head.replaceChildren(this.#createHeader());
    this.#showSort();

    this.#body = table.tBodies[0] ?? table.createTBody();
    this.#body.addEventListener('animationend', (event) => {
      const target = event.target;
      if (!(target instanceof Element)) return;
      if (target instanceof HTMLTableRowElement && target.classList.contains(FADE_OUT)) {
        if (event.animationName === FADE_OUT) this.#removeFaded(target);
      }
      else target.classList.remove(FLASH_INSERT, FLASH_UPDATE);
    });
  }

  get sort(): SortOrder {
    return this.#sort;
  }

  setSort(sort: SortOrder): void {
    this.#sort = sort;
    this.#showSort();
    this.#dropFading();
    this.#sorted = sortRows(this.#sorted, sort);
    const fragment = this.#document.createDocumentFragment();
    for (const row of this.#sorted) {
      const entry = this.#entries.get(row.id);
      if (entry) fragment.append(entry.tr);
    }
    this.#body.replaceChildren(fragment);
  }

  /** The whole view (a snapshot): no flashing, it is not news. */
  replaceRows(rows: readonly OrderRow[]): void {
    this.#entries.clear();
    this.#fading.clear();
    this.#sorted = sortRows(rows, this.#sort);
    const fragment = this.#document.createDocumentFragment();
    for (const row of this.#sorted) fragment.append(this.#createRow(row));
    this.#body.replaceChildren(fragment);
  }

  /**
   * One change as the client applied it: by what the view held and holds now, not by op, so an
   * enter shows as an insert and a leave as a delete.
   */
  applyChange({ id, row }: AppliedChange): void {
    const entry = this.#entries.get(id);
    if (!row) {
      if (entry) this.#remove(id, entry);
      return;
    }
    if (!entry) this.#insert(row);
    else this.#update(entry, row);
  }

  #insert(row: OrderRow): void {
    // The same id fading out (it left the view and came back at once): that row goes now.
    const faded = this.#fading.get(row.id);
    if (faded) this.#removeFaded(faded);
    const index = insertionIndex(this.#sorted, row, this.#sort);
    this.#sorted.splice(index, 0, row);
    const tr = this.#createRow(row);
    this.#body.insertBefore(tr, this.#trAt(index + 1));
    flash(tr, FLASH_INSERT);
  }

  #update(entry: Entry, row: OrderRow): void {
    const previous = entry.row;
    for (const column of ORDER_COLUMNS) {
      if (previous[column] === row[column]) continue;
      const td = cellOf(entry.tr, column);
      if (!td) continue;
      fillCell(td, column, row);
      td.title = `was: ${cellText(column, previous)}`;
      flash(td, FLASH_UPDATE);
    }
    if (previous.status !== row.status) updateActions(entry.tr, row);
    entry.row = row;

    // Keep the order: move the row if its sort column changed its place.
    const oldIndex = indexOfRow(this.#sorted, previous, this.#sort);
    if (oldIndex >= 0) this.#sorted.splice(oldIndex, 1);
    const newIndex = insertionIndex(this.#sorted, row, this.#sort);
    this.#sorted.splice(newIndex, 0, row);
    if (newIndex !== oldIndex) {
      const focused = this.#document.activeElement;
      this.#body.insertBefore(entry.tr, this.#trAt(newIndex + 1));
      // Moving a node blurs what had focus in it; give it back (keyboard users keep their place).
      if (focused instanceof HTMLElement && entry.tr.contains(focused)) focused.focus();
    }
  }

  #remove(id: number, entry: Entry): void {
    this.#entries.delete(id);
    const index = indexOfRow(this.#sorted, entry.row, this.#sort);
    if (index >= 0) this.#sorted.splice(index, 1);
    const { tr } = entry;
    tr.classList.remove(FLASH_INSERT);
    for (const td of tr.cells) td.classList.remove(FLASH_UPDATE);
    tr.classList.add(FADE_OUT);
    tr.setAttribute('aria-hidden', 'true');
    for (const button of tr.querySelectorAll('button')) button.disabled = true;
    this.#fading.set(id, tr);
    this.#setTimeout(() => this.#removeFaded(tr), FADE_OUT_REMOVE_MS);
  }

  #removeFaded(tr: HTMLTableRowElement): void {
    const id = Number(tr.dataset['orderId']);
    if (this.#fading.get(id) === tr) this.#fading.delete(id);
    tr.remove();
  }

  #dropFading(): void {
    for (const tr of this.#fading.values()) tr.remove();
    this.#fading.clear();
  }

  /** The <tr> of the row at `index` of the display order, or null past the end. */
  #trAt(index: number): HTMLTableRowElement | null {
    const row = this.#sorted[index];
    return row ? (this.#entries.get(row.id)?.tr ?? null) : null;
  }

  #createHeader(): HTMLTableRowElement {
    const header = this.#document.createElement('tr');
    for (const column of ORDER_COLUMNS) {
      const th = this.#document.createElement('th');
      th.scope = 'col';
      th.dataset['sortColumn'] = column;
      if (NUMERIC_COLUMNS.has(column)) th.className = 'numeric';
      const button = this.#document.createElement('button');
      button.type = 'button';
      button.className = 'sort-button';
      const label = this.#document.createElement('span');
      label.textContent = COLUMN_LABELS[column];
      const arrow = this.#document.createElement('span');
      arrow.className = 'sort-arrow';
      arrow.setAttribute('aria-hidden', 'true');
      button.append(label, arrow);
      // A <button>: Enter and Space work as a click, and it is in the tab order.
      button.addEventListener('click', () => this.setSort(nextSort(this.#sort, column)));
      th.append(button);
      this.#headers.set(column, th);
      header.append(th);
    }
    const actions = this.#document.createElement('th');
    actions.scope = 'col';
    actions.className = 'actions-header';
    actions.textContent = 'Actions';
    header.append(actions);
    return header;
  }

  #showSort(): void {
    for (const [column, th] of this.#headers) {
      const active = column === this.#sort.column;
      if (active) th.setAttribute('aria-sort', this.#sort.direction);
      else th.removeAttribute('aria-sort');
      const arrow = th.querySelector('.sort-arrow');
      if (arrow) arrow.textContent = active ? ARROWS[this.#sort.direction] : '';
      th.querySelector('button')?.setAttribute(
        'aria-label',
        `${COLUMN_LABELS[column]}: sort ${active && this.#sort.direction === 'ascending' ? 'descending' : 'ascending'}`,
      );
    }
  }

  #createRow(row: OrderRow): HTMLTableRowElement {
    const tr = this.#document.createElement('tr');
    tr.dataset['orderId'] = String(row.id);
    for (const column of ORDER_COLUMNS) {
      const td = this.#document.createElement('td');
      td.dataset['column'] = column;
      fillCell(td, column, row);
      tr.append(td);
    }
    tr.append(this.#createActions(row));
    this.#entries.set(row.id, { row, tr });
    return tr;
  }

  #createActions(row: OrderRow): HTMLTableCellElement {
    const td = this.#document.createElement('td');
    td.dataset['column'] = 'actions';
    const advance = this.#document.createElement('button');
    advance.type = 'button';
    advance.className = 'action-button';
    advance.dataset['action'] = ACTION_ADVANCE;
    const remove = this.#document.createElement('button');
    remove.type = 'button';
    remove.className = 'action-button action-delete';
    remove.dataset['action'] = ACTION_DELETE;
    remove.textContent = 'Delete';
    remove.setAttribute('aria-label', `Delete order ${row.id}`);
    const group = this.#document.createElement('div');
    group.className = 'row-actions';
    group.append(advance, remove);
    td.append(group);
    fillAdvance(advance, row);
    return td;
  }
}

function cellOf(tr: HTMLTableRowElement, column: OrderColumn): HTMLTableCellElement | undefined {
  return tr.cells[ORDER_COLUMNS.indexOf(column)];
}

/** The text a cell shows for a column. */
function cellText(column: OrderColumn, row: OrderRow): string {
  switch (column) {
    case 'created_at':
    case 'updated_at':
      return formatInstant(row[column]);
    default:
      // amount stays the exact decimal string from the database.
      return String(row[column]);
  }
}

function fillCell(td: HTMLTableCellElement, column: OrderColumn, row: OrderRow): void {
  // The exact value as the database holds it (the text may be formatted): for tools and tests.
  td.dataset['value'] = String(row[column]);
  switch (column) {
    case 'status': {
      const pill = td.ownerDocument.createElement('span');
      pill.className = 'status-pill';
      pill.dataset['status'] = row.status;
      pill.textContent = row.status;
      td.replaceChildren(pill);
      return;
    }
    case 'created_at':
    case 'updated_at':
      td.textContent = cellText(column, row);
      td.title = row[column];
      return;
    default:
      td.textContent = cellText(column, row);
  }
}

function updateActions(tr: HTMLTableRowElement, row: OrderRow): void {
  const advance = tr.querySelector<HTMLButtonElement>(`button[data-action="${ACTION_ADVANCE}"]`);
  if (advance) fillAdvance(advance, row);
}

/** "→ shipped" for a pending order; hidden and disabled for a delivered one (nothing follows). */
function fillAdvance(button: HTMLButtonElement, row: OrderRow): void {
  const next = nextStatus(row.status);
  button.hidden = next === undefined;
  button.disabled = next === undefined || button.dataset['busy'] === 'true';
  if (next === undefined) {
    delete button.dataset['nextStatus'];
    button.textContent = 'Advance';
    button.setAttribute('aria-label', `Order ${row.id} is delivered`);
    return;
  }
  button.dataset['nextStatus'] = next;
  button.textContent = `→ ${next}`;
  button.setAttribute('aria-label', `Mark order ${row.id} ${next}`);
}

/** Adds an animation class, restarting the animation if it is still running. */
function flash(element: HTMLElement, className: string): void {
  if (element.classList.contains(className)) {
    element.classList.remove(className);
    void element.offsetWidth; // forces a style flush so re-adding the class starts the animation again
  }
  element.classList.add(className);
}
