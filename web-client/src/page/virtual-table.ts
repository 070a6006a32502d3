/**
 * The orders <table>, virtual: only the rows on screen are in the DOM (table-slots.ts), between two
 * spacer rows that stand for the rest of the server's `total` (viewport.ts). The header is sticky and
 * its buttons sort on the server (the binding asks for the window in the new order).
 *
 *   <div.table-scroll data-testid="table-scroll">
 *     <table data-testid="orders-table" data-total data-first>
 *       <thead> th[data-sort-column] > button.sort-button …
 *       <tbody> tr.spacer · tr[data-order-id][data-index] … · tr.placeholder · tr.ghost · tr.spacer
 *
 * Rows are reused by id between renders, so a row that stays keeps its elements — and keyboard focus
 * in them. When the focused row goes (it left the view), focus moves to the same button of the row
 * now in its place, or to the table, never to <body>. Text only (textContent, never innerHTML).
 */
import { ORDER_COLUMNS, type OrderRow } from '@orders-live/protocol';
import { formatInstant } from './format.js';
import { nextStatus } from './status-flow.js';
import type { ChangeMarks, Ghost } from './change-marks.js';
import type { Layout } from './viewport.js';
import type { Slot } from './table-slots.js';
import type { OrderColumn, TableQuery } from './table-query.js';

/** The actions cell's buttons, found by these (row-actions.ts handles their clicks). */
export const ACTION_ADVANCE = 'advance';
export const ACTION_DELETE = 'delete';

export const COLUMN_LABELS: Readonly<Record<OrderColumn, string>> = {
  id: 'ID',
  customer_name: 'Customer',
  product_name: 'Product',
  status: 'Status',
  quantity: 'Qty',
  amount: 'Amount',
  created_at: 'Created',
  updated_at: 'Updated',
};

/** A changed cell's flash (styles.css; none with prefers-reduced-motion, the "was" text and marker stay). */
export const FLASH_A = 'flash-update';
export const FLASH_B = 'flash-update-again';

const NUMERIC_COLUMNS: ReadonlySet<string> = new Set(['id', 'quantity', 'amount']);
const ARROWS = { asc: '▲', desc: '▼' } as const;
const LEAVE_LABELS = { deleted: 'deleted', filtered: 'left this view', moved: 'moved away' } as const;

interface RowEntry {
  readonly tr: HTMLTableRowElement;
  row: OrderRow | undefined;
  /** What was drawn (row version + marks), so an unchanged row is not touched. */
  drawn: string;
}

export interface RenderInput {
  readonly layout: Layout;
  readonly total: number;
  readonly slots: readonly Slot[];
  readonly marks: ChangeMarks;
  /** A row to highlight (an order this page just created). */
  readonly highlightId: number | undefined;
  readonly now: number;
}

export class VirtualTable {
  readonly #document: Document;
  readonly #scroll: HTMLElement;
  readonly #table: HTMLTableElement;
  readonly #body: HTMLTableSectionElement;
  readonly #top: HTMLTableRowElement;
  readonly #bottom: HTMLTableRowElement;
  readonly #headers = new Map<OrderColumn, HTMLTableCellElement>();
  readonly #rows = new Map<number, RowEntry>();

  constructor(scroll: HTMLElement, table: HTMLTableElement, onSort: (column: OrderColumn) => void) {
    this.#document = table.ownerDocument;
    this.#scroll = scroll;
    this.#table = table;
    const head = table.tHead ?? table.createTHead();
    head.replaceChildren(this.#createHeader(onSort));
    this.#body = table.tBodies[0] ?? table.createTBody();
    this.#top = this.#spacer('top');
    this.#bottom = this.#spacer('bottom');
    this.#body.replaceChildren(this.#top, this.#bottom);
  }

  get scrollElement(): HTMLElement {
    return this.#scroll;
  }

  get body(): HTMLTableSectionElement {
    return this.#body;
  }

  /** The visible height rows can use (the scroll box minus the sticky header). */
  get viewportPx(): number {
    return Math.max(0, this.#scroll.clientHeight - (this.#table.tHead?.offsetHeight ?? 0));
  }

  showSort(query: TableQuery): void {
    for (const [column, th] of this.#headers) {
      const active = column === query.sort.column;
      if (active) th.setAttribute('aria-sort', query.sort.direction === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
      const arrow = th.querySelector('.sort-arrow');
      if (arrow) arrow.textContent = active ? ARROWS[query.sort.direction] : '';
      th.querySelector('button')?.setAttribute(
        'aria-label',
        `${COLUMN_LABELS[column]}: sort ${active && query.sort.direction === 'asc' ? 'descending' : 'ascending'}`,
      );
    }
  }

  render(input: RenderInput): void {
    const { layout, slots } = input;
    const focused = this.#document.activeElement;
    const focusedTr = focused instanceof HTMLElement && this.#body.contains(focused) ? focused.closest<HTMLTableRowElement>('tr') : null;
    const focusedAction = focused instanceof HTMLElement ? focused.dataset['action'] : undefined;
    const focusedSlot = focusedTr ? Array.from(this.#body.rows).indexOf(focusedTr) - 1 : -1;

    this.#table.dataset['total'] = String(input.total);
    this.#table.dataset['first'] = String(layout.first);
    this.#table.setAttribute('aria-rowcount', String(input.total + 1));
    setHeight(this.#top, layout.topPx);
    setHeight(this.#bottom, layout.bottomPx);

    const wanted: HTMLTableRowElement[] = [];
    const used = new Set<number>();
    for (const slot of slots) {
      if (slot.kind === 'row') {
        used.add(slot.row.id);
        wanted.push(this.#drawRow(slot.row, slot.index, input));
      } else if (slot.kind === 'placeholder') wanted.push(this.#placeholder(slot.index));
      else wanted.push(this.#ghost(slot.ghost));
    }
    for (const id of [...this.#rows.keys()]) if (!used.has(id)) this.#rows.delete(id);

    // Reconcile: put each wanted row after the previous one, moving only what is out of place.
    let cursor: ChildNode = this.#top;
    for (const tr of wanted) {
      if (cursor.nextSibling !== tr) this.#body.insertBefore(tr, cursor.nextSibling);
      cursor = tr;
    }
    while (cursor.nextSibling && cursor.nextSibling !== this.#bottom) cursor.nextSibling.remove();

    if (focusedTr && focused instanceof HTMLElement && this.#document.activeElement !== focused) {
      if (focused.isConnected && !(focused as HTMLButtonElement).disabled) focused.focus({ preventScroll: true });
      else this.#refocus(focusedSlot, focusedAction);
    }
  }

  /** The <tr> of an order on screen, if it is. */
  rowElement(id: number): HTMLTableRowElement | undefined {
    return this.#rows.get(id)?.tr;
  }

  #refocus(slot: number, action: string | undefined): void {
    const rows = Array.from(this.#body.rows).filter((tr) => tr.dataset['orderId'] !== undefined && !tr.classList.contains('ghost'));
    const tr = rows[Math.min(Math.max(0, slot), rows.length - 1)];
    const target =
      tr?.querySelector<HTMLButtonElement>(`button[data-action="${action ?? ACTION_DELETE}"]:not([disabled]):not([hidden])`) ??
      tr?.querySelector<HTMLButtonElement>('button:not([disabled]):not([hidden])');
    (target ?? this.#scroll).focus({ preventScroll: true });
  }

  #drawRow(row: OrderRow, index: number, input: RenderInput): HTMLTableRowElement {
    let entry = this.#rows.get(row.id);
    if (!entry) {
      entry = { tr: this.#createRow(row.id), row: undefined, drawn: '' };
      this.#rows.set(row.id, entry);
    }
    const { marks, now } = input;
    const entered = marks.entered(row.id, now);
    const highlight = input.highlightId === row.id;
    const cellMarks = ORDER_COLUMNS.map((column) => marks.cell(row.id, column, now));
    const drawn = `${row.updated_at}|${row.status}|${entered}|${highlight}|${cellMarks.map((mark) => mark?.before ?? '').join('|')}`;
    const tr = entry.tr;
    tr.setAttribute('aria-rowindex', String(index + 2));
    tr.dataset['index'] = String(index);
    if (entry.row === row && entry.drawn === drawn) return tr;
    const fresh = entry.row !== undefined && entry.row !== row;
    entry.row = row;
    entry.drawn = drawn;
    tr.classList.toggle('entered', entered);
    tr.classList.toggle('highlight', highlight);
    ORDER_COLUMNS.forEach((column, i) => {
      const td = tr.cells[i];
      if (td) fillCell(td, column, row, cellMarks[i]?.before, fresh);
    });
    const advance = tr.querySelector<HTMLButtonElement>(`button[data-action="${ACTION_ADVANCE}"]`);
    if (advance) fillAdvance(advance, row);
    const remove = tr.querySelector<HTMLButtonElement>(`button[data-action="${ACTION_DELETE}"]`);
    remove?.setAttribute('aria-label', `Delete order ${row.id}`);
    return tr;
  }

  #createRow(id: number): HTMLTableRowElement {
    const tr = this.#document.createElement('tr');
    tr.className = 'order-row';
    tr.dataset['orderId'] = String(id);
    for (const column of ORDER_COLUMNS) {
      const td = this.#document.createElement('td');
      td.dataset['column'] = column;
      if (NUMERIC_COLUMNS.has(column)) td.className = 'numeric';
      tr.append(td);
    }
    const actions = this.#document.createElement('td');
    actions.dataset['column'] = 'actions';
    const group = this.#document.createElement('div');
    group.className = 'row-actions';
    const advance = this.#button(ACTION_ADVANCE, 'action-button');
    const remove = this.#button(ACTION_DELETE, 'action-button action-delete');
    remove.textContent = 'Delete';
    group.append(advance, remove);
    actions.append(group);
    tr.append(actions);
    return tr;
  }

  #button(action: string, className: string): HTMLButtonElement {
    const button = this.#document.createElement('button');
    button.type = 'button';
    button.className = className;
    button.dataset['action'] = action;
    return button;
  }

  #placeholder(index: number): HTMLTableRowElement {
    const tr = this.#document.createElement('tr');
    tr.className = 'placeholder';
    tr.dataset['index'] = String(index);
    const td = this.#document.createElement('td');
    td.colSpan = ORDER_COLUMNS.length + 1;
    td.textContent = 'loading…';
    tr.append(td);
    return tr;
  }

  #ghost(ghost: Ghost): HTMLTableRowElement {
    const tr = this.#document.createElement('tr');
    tr.className = 'ghost';
    tr.dataset['ghostId'] = String(ghost.row.id);
    tr.dataset['leaveReason'] = ghost.reason;
    for (const column of ORDER_COLUMNS) {
      const td = this.#document.createElement('td');
      td.dataset['column'] = column;
      fillCell(td, column, ghost.row, undefined, false);
      tr.append(td);
    }
    const note = this.#document.createElement('td');
    note.className = 'ghost-note';
    note.textContent = LEAVE_LABELS[ghost.reason];
    tr.append(note);
    return tr;
  }

  #spacer(which: string): HTMLTableRowElement {
    const tr = this.#document.createElement('tr');
    tr.className = 'spacer';
    tr.dataset['spacer'] = which;
    tr.setAttribute('aria-hidden', 'true');
    const td = this.#document.createElement('td');
    td.colSpan = ORDER_COLUMNS.length + 1;
    tr.append(td);
    return tr;
  }

  #createHeader(onSort: (column: OrderColumn) => void): HTMLTableRowElement {
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
      button.addEventListener('click', () => onSort(column));
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
}

function setHeight(tr: HTMLTableRowElement, px: number): void {
  const td = tr.cells[0];
  if (td) td.style.height = `${px}px`;
  tr.hidden = px === 0;
}

/** The text a cell shows for a column. */
export function cellText(column: OrderColumn, value: string): string {
  return column === 'created_at' || column === 'updated_at' ? formatInstant(value) : value;
}

/**
 * Fills a cell. With `before` it reads "before → now" (the old value struck through), marked with a
 * class for the static marker; `fresh` (a new version of a row already drawn) restarts the flash.
 */
function fillCell(td: HTMLTableCellElement, column: OrderColumn, row: OrderRow, before: string | undefined, fresh: boolean): void {
  const value = String(row[column]);
  // The exact value as the database holds it (the text may be formatted): for tools and tests.
  td.dataset['value'] = value;
  const document = td.ownerDocument;
  const parts: Node[] = [];
  if (before !== undefined) {
    const was = document.createElement('s');
    was.className = 'was';
    was.textContent = cellText(column, before);
    const arrow = document.createElement('span');
    arrow.className = 'was-arrow';
    arrow.textContent = ' → ';
    parts.push(was, arrow);
    td.dataset['was'] = before;
  } else delete td.dataset['was'];
  if (column === 'status') {
    const pill = document.createElement('span');
    pill.className = 'status-pill';
    pill.dataset['status'] = row.status;
    pill.textContent = row.status;
    parts.push(pill);
  } else parts.push(document.createTextNode(cellText(column, value)));
  td.replaceChildren(...parts);
  if (column === 'created_at' || column === 'updated_at') td.title = value;
  td.classList.toggle('changed', before !== undefined);
  if (before !== undefined && fresh) {
    // Two classes with the same keyframes under two names: swapping restarts the animation without
    // forcing a layout (which a 10,000-row transaction would pay per cell).
    const again = td.classList.contains(FLASH_A);
    td.classList.toggle(FLASH_A, !again);
    td.classList.toggle(FLASH_B, again);
  } else if (before === undefined) td.classList.remove(FLASH_A, FLASH_B);
}

/** "→ shipped" for a pending order; hidden and disabled for a delivered one (nothing follows). */
function fillAdvance(button: HTMLButtonElement, row: OrderRow): void {
  const next = nextStatus(row.status);
  button.hidden = next === undefined;
  button.disabled = next === undefined;
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
