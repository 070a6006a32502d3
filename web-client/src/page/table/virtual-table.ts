/**
 * The orders <table>, virtual: only the rows on screen are in the DOM (table-slots.ts), between two
 * spacer rows that stand for the rest of the server's `total` (viewport.ts). Its columns are the
 * table's (table-columns.ts): when a `columns` frame changes them, the header (table-header.ts) and
 * every row are drawn afresh in the new shape; cells are filled by table-cells.ts.
 *
 *   <div.table-scroll data-testid="table-scroll">
 *     <table data-testid="orders-table" data-total data-first>
 *       <thead> th[data-sort-column] > button.sort-button …
 *       <tbody> tr.spacer · tr[data-row-id][data-order-id][data-index] … · tr.placeholder · tr.ghost · tr.spacer
 *
 * A row is known by its id under the table's key (row-identity.ts); data-row-id names it as a reader
 * would ("12", a uuid, "12/3"). Orders' rows also carry data-order-id and the action buttons (the
 * write API is orders'); another table's rows have no actions column.
 *
 * Its geometry (the scroll position, the height rows can use) is kept from the scroll event and a
 * ResizeObserver, never read while rendering: a read after the writes of a frame would force a layout
 * of the page in the middle of it, and a 10,000-row transaction renders on many frames in a row.
 *
 * Rows are reused by row id between renders, so a row that stays keeps its elements — and keyboard focus
 * in them. When the focused row goes (it left the view), focus moves to the same button of the row
 * now in its place, or to the table, never to <body>. Text only (textContent, never innerHTML).
 */
import type { ColumnInfo, LiveRow, RowId } from '@orders-live/protocol';
import { RowIdentity } from '../tables/row-identity.js';
import type { ChangeMarks, Ghost } from './change-marks.js';
import { ACTION_DELETE, createCells, fillActions, fillCell } from './table-cells.js';
import { displayColumns, type DisplayColumn } from './table-columns.js';
import { TableHeader } from './table-header.js';
import type { ColumnName, TableQuery } from '../query/table-query.js';
import type { Slot } from './table-slots.js';
import type { Layout } from './viewport.js';

const LEAVE_LABELS = { deleted: 'deleted', filtered: 'left this view', moved: 'moved away' } as const;
/** Width an added column takes (styles.css sizes the original ones): the table grows by it, and scrolls sideways. */
const EXTRA_COLUMN_REM = 10;
/** Columns of a read-only table (not orders) the table's minimum width holds at EXTRA_COLUMN_REM each, beside its id. */
const READ_ONLY_COLUMNS_FITTING = 6;

interface RowEntry {
  readonly tr: HTMLTableRowElement;
  row: LiveRow | undefined;
  /** What was drawn (marks, highlight), so an unchanged row is not touched. */
  drawn: string;
}

export interface RenderInput {
  readonly layout: Layout;
  readonly total: number;
  readonly slots: readonly Slot[];
  readonly marks: ChangeMarks;
  /** A row to highlight (an order this page just created, a row the log named). */
  readonly highlightId: RowId | undefined;
  readonly now: number;
}

export class VirtualTable {
  readonly #document: Document;
  readonly #scroll: HTMLElement;
  readonly #table: HTMLTableElement;
  readonly #body: HTMLTableSectionElement;
  readonly #top: HTMLTableRowElement;
  readonly #bottom: HTMLTableRowElement;
  readonly #header: TableHeader;
  readonly #rows = new Map<RowId, RowEntry>();
  /** Each drawn row's id, for the element (a composite key's id is no attribute text). */
  #ids = new WeakMap<Element, RowId>();
  #identity = new RowIdentity();
  /** The table has the write API: its rows get the actions cell. */
  #writable = true;
  /** A ghost keeps its <tr> while it lasts (made again each frame, its fading would start over). */
  #ghosts = new Map<Ghost, HTMLTableRowElement>();
  #columns: readonly DisplayColumn[] = displayColumns();
  #query: TableQuery | undefined;
  #scrollTop: number;
  #pendingScroll: number | undefined;
  #viewportPx = 0;

  /** `onResize` runs when the height rows can use changes (the page renders again). */
  constructor(scroll: HTMLElement, table: HTMLTableElement, onSort: (column: ColumnName) => void, onResize: () => void) {
    this.#document = table.ownerDocument;
    this.#scroll = scroll;
    this.#table = table;
    const head = table.tHead ?? table.createTHead();
    const headerRow = this.#document.createElement('tr');
    head.replaceChildren(headerRow);
    this.#header = new TableHeader(headerRow, onSort);
    this.#body = table.tBodies[0] ?? table.createTBody();
    this.#top = this.#spacer('top');
    this.#bottom = this.#spacer('bottom');
    this.#body.replaceChildren(this.#top, this.#bottom);
    this.#showColumns();
    this.#scrollTop = scroll.scrollTop;
    scroll.addEventListener('scroll', () => (this.#scrollTop = scroll.scrollTop), { passive: true });
    this.#measureViewport();
    // Called after a layout, when the sizes are known: reading them there costs nothing more.
    const observer = new ResizeObserver(() => {
      if (this.#measureViewport()) onResize();
    });
    observer.observe(scroll);
    observer.observe(head);
  }

  get body(): HTMLTableSectionElement {
    return this.#body;
  }

  /** The visible height rows can use (the scroll box minus the sticky header), as last measured. */
  get viewportPx(): number {
    return this.#viewportPx;
  }

  /** The scroll box's scrollTop, as of its last scroll event or scrollTo. */
  get scrollTop(): number {
    return this.#scrollTop;
  }

  /** Scrolls the box (the browser clamps it to the scroll range; the scroll event that follows tells the outcome). */
  scrollTo(px: number): void {
    this.#pendingScroll = undefined;
    this.#scroll.scrollTop = px;
    this.#scrollTop = Math.max(0, px);
  }

  /**
   * Scrolls the box to `px` once the next render has drawn the rows and spacers (the scroll range
   * may grow in that render: set now, the browser would clamp it to the old one). Row anchoring.
   */
  holdScroll(px: number): void {
    this.#scrollTop = Math.max(0, px);
    this.#pendingScroll = this.#scrollTop;
  }

  /** Reads the height rows can use; true when it changed. */
  #measureViewport(): boolean {
    const px = Math.max(0, this.#scroll.clientHeight - (this.#table.tHead?.offsetHeight ?? 0));
    const changed = px !== this.#viewportPx;
    this.#viewportPx = px;
    return changed;
  }

  /** The table's columns changed (a columns frame): the header and every row are drawn anew on the next render. */
  setColumns(columns: readonly ColumnInfo[]): void {
    const next = displayColumns(columns);
    const same = (a: DisplayColumn, b: DisplayColumn | undefined) => b !== undefined && JSON.stringify(a.info) === JSON.stringify(b.info);
    if (next.length === this.#columns.length && next.every((column, i) => same(column, this.#columns[i]))) return;
    this.#columns = next;
    this.#showColumns();
  }

  /** Another table (its key, and whether the page may write it): every row is drawn anew on the next render. */
  setTable(identity: RowIdentity, writable: boolean): void {
    if (identity.same(this.#identity) && writable === this.#writable) return;
    this.#identity = identity;
    this.#writable = writable;
    this.#ids = new WeakMap();
    this.#showColumns();
  }

  /** The id of the row `element` is in (a row of the table), undefined for anything else. */
  rowIdAt(element: Element): RowId | undefined {
    const tr = element.closest('tr');
    return tr ? this.#ids.get(tr) : undefined;
  }

  showSort(query: TableQuery): void {
    this.#query = query;
    this.#header.showSort(query);
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
    const used = new Set<RowId>();
    const ghosts = new Map<Ghost, HTMLTableRowElement>();
    for (const slot of slots) {
      if (slot.kind === 'row') {
        used.add(this.#identity.idOf(slot.row));
        wanted.push(this.#drawRow(slot.row, slot.index, input));
      } else if (slot.kind === 'placeholder') wanted.push(this.#placeholder(slot.index));
      else {
        const tr = this.#ghosts.get(slot.ghost) ?? this.#ghost(slot.ghost);
        ghosts.set(slot.ghost, tr);
        wanted.push(tr);
      }
    }
    for (const id of [...this.#rows.keys()]) if (!used.has(id)) this.#rows.delete(id);
    this.#ghosts = ghosts;

    // Reconcile: put each wanted row after the previous one, moving only what is out of place.
    let cursor: ChildNode = this.#top;
    for (const tr of wanted) {
      if (cursor.nextSibling !== tr) this.#body.insertBefore(tr, cursor.nextSibling);
      cursor = tr;
    }
    while (cursor.nextSibling && cursor.nextSibling !== this.#bottom) cursor.nextSibling.remove();
    if (this.#pendingScroll !== undefined) {
      this.#scroll.scrollTop = this.#pendingScroll;
      this.#pendingScroll = undefined;
    }

    if (focusedTr && focused instanceof HTMLElement && this.#document.activeElement !== focused) {
      if (focused.isConnected && !(focused as HTMLButtonElement).disabled) focused.focus({ preventScroll: true });
      else this.#refocus(focusedSlot, focusedAction);
    }
  }

  #showColumns(): void {
    this.#header.show(this.#columns, this.#writable);
    if (this.#query) this.#header.showSort(this.#query);
    // Orders' columns a DDL added widen its table; another table's columns are all "extra" (none is
    // orders'), and the table widens only for those beyond what its width holds.
    const unknown = this.#columns.filter((column) => !column.known).length;
    const extra = this.#writable ? unknown : Math.max(0, unknown - READ_ONLY_COLUMNS_FITTING);
    this.#table.style.setProperty('--extra-columns-width', `${extra * EXTRA_COLUMN_REM}rem`);
    this.#table.toggleAttribute('data-extra-columns', this.#writable && extra > 0);
    // A phone lays orders' rows out as cards with a place per column; another table's, a line per column (styles.css).
    this.#table.toggleAttribute('data-read-only', !this.#writable);
    // Every row is made again in the new shape (the spacers span the new width).
    for (const entry of this.#rows.values()) entry.tr.remove();
    this.#rows.clear();
    for (const tr of this.#ghosts.values()) tr.remove();
    this.#ghosts.clear();
    for (const spacer of [this.#top, this.#bottom]) {
      const td = spacer.cells[0];
      if (td) td.colSpan = this.#columns.length + (this.#writable ? 1 : 0);
    }
  }

  #refocus(slot: number, action: string | undefined): void {
    const rows = Array.from(this.#body.rows).filter((tr) => tr.dataset['rowId'] !== undefined && !tr.classList.contains('ghost'));
    const tr = rows[Math.min(Math.max(0, slot), rows.length - 1)];
    const target =
      tr?.querySelector<HTMLButtonElement>(`button[data-action="${action ?? ACTION_DELETE}"]:not([disabled]):not([hidden])`) ??
      tr?.querySelector<HTMLButtonElement>('button:not([disabled]):not([hidden])');
    (target ?? this.#scroll).focus({ preventScroll: true });
  }

  #drawRow(row: LiveRow, index: number, input: RenderInput): HTMLTableRowElement {
    const id = this.#identity.idOf(row);
    const label = this.#identity.label(id);
    let entry = this.#rows.get(id);
    if (!entry) {
      const tr = this.#document.createElement('tr');
      tr.className = 'order-row';
      tr.dataset['rowId'] = label;
      if (this.#writable) tr.dataset['orderId'] = label;
      this.#ids.set(tr, id);
      tr.append(...createCells(this.#document, this.#columns, this.#writable));
      entry = { tr, row: undefined, drawn: '' };
      this.#rows.set(id, entry);
    }
    const { marks, now } = input;
    const entered = marks.entered(id, now);
    const highlight = input.highlightId === id;
    const cellMarks = this.#columns.map((column) => marks.cell(id, column.name, now));
    const drawn = `${entered}|${highlight}|${cellMarks.map((mark) => mark?.before ?? '').join('|')}`;
    const tr = entry.tr;
    tr.setAttribute('aria-rowindex', String(index + 2));
    tr.dataset['index'] = String(index);
    if (entry.row === row && entry.drawn === drawn) return tr;
    const fresh = entry.row !== undefined && entry.row !== row;
    entry.row = row;
    entry.drawn = drawn;
    tr.classList.toggle('entered', entered);
    tr.classList.toggle('highlight', highlight);
    this.#columns.forEach((column, i) => {
      const td = tr.cells[i];
      if (td) fillCell(td, column, row, cellMarks[i]?.before, fresh);
    });
    if (this.#writable) fillActions(tr, row, label);
    return tr;
  }

  #placeholder(index: number): HTMLTableRowElement {
    const tr = this.#document.createElement('tr');
    tr.className = 'placeholder';
    tr.dataset['index'] = String(index);
    const td = this.#document.createElement('td');
    td.colSpan = this.#columns.length + (this.#writable ? 1 : 0);
    td.textContent = 'loading…';
    tr.append(td);
    return tr;
  }

  #ghost(ghost: Ghost): HTMLTableRowElement {
    const tr = this.#document.createElement('tr');
    tr.className = 'ghost';
    tr.dataset['ghostId'] = this.#identity.label(ghost.id);
    tr.dataset['leaveReason'] = ghost.reason;
    const cells = createCells(this.#document, this.#columns, false);
    this.#columns.forEach((column, i) => fillCell(cells[i]!, column, ghost.row, undefined, false));
    const note = this.#document.createElement('td');
    note.className = 'ghost-note';
    note.textContent = LEAVE_LABELS[ghost.reason];
    // The note takes the actions cell's place; a read-only table has none, so the note is one more.
    tr.append(...cells, note);
    return tr;
  }

  #spacer(which: string): HTMLTableRowElement {
    const tr = this.#document.createElement('tr');
    tr.className = 'spacer';
    tr.dataset['spacer'] = which;
    tr.setAttribute('aria-hidden', 'true');
    const td = this.#document.createElement('td');
    td.colSpan = this.#columns.length + (this.#writable ? 1 : 0);
    tr.append(td);
    return tr;
  }
}

function setHeight(tr: HTMLTableRowElement, px: number): void {
  const td = tr.cells[0];
  if (td) td.style.height = `${px}px`;
  tr.hidden = px === 0;
}
