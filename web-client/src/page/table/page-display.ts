/**
 * The page around the live window: the virtual table and its scrolling (which window to ask for),
 * the marks changes leave, the counts, the activity log, the rate chart with its hops, the connection
 * indicator, the tab title, the status line and errors. Implements window-binding's WindowDisplay.
 *
 * Rendering happens at most once per animation frame: a frame of diffs (window-binding), a scroll, a
 * resize or a mark expiring all ask for the same one render.
 */
import type { ConnectionState, WindowEvent } from '@orders-live/client';
import type { FreshnessView } from '../live/freshness-view.js';
import { ORDER_STATUSES, type ColumnInfo, type LiveRow, type RowId } from '@orders-live/protocol';
import { RowIdentity } from '../tables/row-identity.js';
import type { PageElements } from '../page-elements.js';
import type { ShownFrame, Summary, WindowDisplay } from '../live/window-binding.js';
import { VirtualTable } from './virtual-table.js';
import { ActivityLog } from '../panels/activity-log.js';
import { activityEntry, type DiffPart } from '../panels/activity.js';
import { ChangeMarks, MARK_MS } from './change-marks.js';
import { RateChart } from '../panels/rate-chart.js';
import { RateStats } from '../panels/rate-stats.js';
import { HopStats } from '../panels/hop-stats.js';
import { formatConnectionState } from '../format.js';
import { showCatchingUp, showColumnCounts, showHops, showStatusCounts, showSummary, showTitle, showTotals } from '../page-texts.js';
import { tableSlots } from './table-slots.js';
import { layout, needsWindow, ROW_HEIGHT_PX, scrollTopForIndex, scrollTopShifted, windowFor, type WindowSpan } from './viewport.js';
import { anchorShift } from './row-anchor.js';
import type { ColumnName, TableQuery } from '../query/table-query.js';

/** "Back live" and "catching up" notes stay this long after the last reason for them, then go. */
export const NOTE_MS = 8_000;
export const CATCHING_UP_HOLD_MS = 1_000;
/** Rows above a row scrolled to, so it is not glued to the header. */
const SCROLL_CONTEXT_ROWS = 3;
/**
 * How long a created order may take to come back on the stream before the page says it is not in
 * view: long enough for a pipeline that is catching up (a big transaction ahead of it, a service
 * replaying its topic), since the order is in the database and will come.
 */
export const EXPECT_ROW_MS = 60_000;

export interface PageViewDeps {
  readonly now: () => number;
  readonly setTimeout: (run: () => void, delayMs: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
  readonly requestFrame: (run: () => void) => void;
  /** The screen needs rows outside the window held: ask the server for this one. */
  readonly requestWindow: (span: WindowSpan) => void;
  readonly onSort: (column: ColumnName) => void;
  /** A row named in the activity log was clicked (its id under the table's key). */
  readonly onShowRow: (id: RowId) => void;
}

export class PageDisplay implements WindowDisplay {
  readonly #elements: PageElements;
  readonly #deps: PageViewDeps;
  readonly #table: VirtualTable;
  readonly #marks = new ChangeMarks();
  readonly #log: ActivityLog;
  readonly #chart: RateChart;
  readonly #stats = new RateStats();
  readonly #hops = new HopStats();
  #window: WindowEvent | undefined;
  #requested: WindowSpan | undefined;
  #rowPx = ROW_HEIGHT_PX;
  #renderPending = false;
  #markTimer: unknown;
  #noteTimer: unknown;
  #catchingUpTimer: unknown;
  #highlight: { readonly id: RowId; readonly until: number } | undefined;
  /** A row to scroll to once a window holding it arrives (until `until`, epoch ms). */
  #jump: { readonly id: RowId; readonly found: (shown: boolean) => void; readonly until: number } | undefined;
  /** Which row is which in the table shown (its key); orders' until told another. */
  #identity = new RowIdentity();
  #state = 'connecting';
  /** What the page says of freshness while live (freshness-view.ts); the connection state's own text until told. */
  #freshness: FreshnessView | undefined;
  #connection: { readonly state: ConnectionState; readonly now: number } | undefined;
  /** The row under the pointer (its id), while the pointer is over one. */
  #pointerRow: RowId | undefined;
  #pointerIn = false;
  /** The ids of the rows on screen at the last render, top to bottom. */
  #onScreen: readonly RowId[] = [];
  /** Rows that came above the held rows (row-anchor.ts), and whether the table was at its top when they began to come. */
  #newAbove = 0;
  #heldAtTop = false;
  /**
   * The newest transaction's frames so far, and whether it has a log entry yet (a part that moved no
   * row on screen makes none, but its summary counts once a later part does).
   */
  #lastTx: { readonly txId: number | null; readonly parts: readonly DiffPart[]; readonly logged: boolean } | undefined;

  constructor(elements: PageElements, deps: PageViewDeps) {
    this.#elements = elements;
    this.#deps = deps;
    this.#table = new VirtualTable(elements.tableScroll, elements.table, deps.onSort, () => this.renderSoon());
    this.#log = new ActivityLog(elements.activityLog, elements.activityEmpty, deps.onShowRow);
    this.#chart = new RateChart(elements.rateChart);
    this.#chart.render(this.#stats.series(deps.now()));
    elements.tableScroll.addEventListener('scroll', () => this.renderSoon(), { passive: true });
    this.#watchPointer();
    this.measure();
  }

  /** Where the pointer and the keyboard are: in the table, the rows on screen are held where they are (row-anchor.ts). */
  #watchPointer(): void {
    const { tableFrame, newRows } = this.#elements;
    tableFrame.addEventListener('pointerenter', () => (this.#pointerIn = true));
    tableFrame.addEventListener('pointerleave', () => {
      this.#pointerIn = false;
      this.#pointerRow = undefined;
      this.#releaseIfLeft();
    });
    tableFrame.addEventListener('pointermove', (event) => {
      this.#pointerIn = true;
      this.#pointerRow = event.target instanceof Element ? this.#table.rowIdAt(event.target) : undefined;
    });
    // After the focus has gone where it goes (relatedTarget is not always known, e.g. to another window).
    tableFrame.addEventListener('focusout', () => this.#deps.setTimeout(() => this.#releaseIfLeft(), 0));
    newRows.addEventListener('click', () => this.#showNewRows());
  }

  /** True while the reader points into the table, or moves in it with the keyboard (a mouse click's focus is no reason). */
  #holding(): boolean {
    if (this.#pointerIn) return true;
    const active = this.#elements.tableFrame.ownerDocument.activeElement;
    return active instanceof HTMLElement && this.#elements.tableFrame.contains(active) && active.matches(':focus-visible');
  }

  #releaseIfLeft(): void {
    if (!this.#holding() && this.#newAbove > 0) this.#showNewRows();
  }

  /**
   * The rows that came above are shown: the table scrolls back by as many rows (to its top, if it was
   * there), so the screen shows the ranks it showed before they came; the notice goes.
   */
  #showNewRows(): void {
    const rows = this.#newAbove;
    this.#setNewAbove(0);
    const total = this.#window?.total ?? 0;
    const viewportPx = this.#table.viewportPx;
    this.#table.scrollTo(this.#heldAtTop ? 0 : scrollTopShifted(this.#table.scrollTop, viewportPx, total, total, -rows, this.#rowPx));
    this.renderSoon();
  }

  #setNewAbove(rows: number): void {
    this.#newAbove = Math.max(0, rows);
    const button = this.#elements.newRows;
    button.hidden = this.#newAbove === 0;
    const noun = this.#identity.table === 'orders' ? 'order' : 'row';
    button.textContent = `${this.#newAbove.toLocaleString('en-US')} new ${noun}${this.#newAbove === 1 ? '' : 's'} above — show`;
  }

  /**
   * The frame moves the rows on screen by some ranks (rows came above or went): while the reader is
   * in the table, it scrolls by as many, so each row stays where it is on screen (row-anchor.ts).
   */
  #holdRows(before: WindowEvent | undefined, after: WindowEvent): void {
    if (!before || this.#jump || !this.#holding()) return;
    const active = this.#elements.tableFrame.ownerDocument.activeElement;
    const focused = active ? this.#table.rowIdAt(active) : undefined;
    const candidates = [this.#pointerRow, focused, ...this.#onScreen].filter((id): id is RowId => id !== undefined);
    const shift = anchorShift(before, after, candidates, (row) => this.#identity.idOf(row));
    if (shift === undefined || shift === 0) return;
    if (this.#newAbove === 0) this.#heldAtTop = this.#table.scrollTop < this.#rowPx / 2;
    const top = scrollTopShifted(this.#table.scrollTop, this.#table.viewportPx, before.total, after.total, shift, this.#rowPx);
    this.#table.holdScroll(top);
    this.#setNewAbove(this.#newAbove + shift);
  }

  get tableBody(): HTMLTableSectionElement {
    return this.#table.body;
  }

  /** Reads the row height the stylesheet gives (it differs on a phone); call on resize. */
  measure(): void {
    const value = Number.parseFloat(getComputedStyle(this.#elements.tableScroll).getPropertyValue('--row-height'));
    this.#rowPx = Number.isFinite(value) && value > 0 ? value : ROW_HEIGHT_PX;
    this.renderSoon();
  }

  /** The first window of a query: the top of the table, a screenful and overscan. */
  initialSpan(): WindowSpan {
    const rows = Math.ceil(Math.max(this.#table.viewportPx, 600) / this.#rowPx) + 1;
    this.#requested = windowFor(0, rows);
    return this.#requested;
  }

  /** The table shown: which row is which (its key), and whether it has row actions (orders' write API). */
  showTable(identity: RowIdentity, writable: boolean): void {
    this.#identity = identity;
    this.#table.setTable(identity, writable);
    this.#marks.clear();
    this.#lastTx = undefined;
    this.renderSoon();
  }

  get identity(): RowIdentity {
    return this.#identity;
  }

  /** The table's columns (a columns frame): the table shows exactly these from the next render. */
  showColumns(columns: readonly ColumnInfo[]): void {
    this.#table.setColumns(columns);
    this.renderSoon();
  }

  /** A new query (another sort or filter): back to the top, the old rows and marks mean nothing now. */
  resetForQuery(query: TableQuery): void {
    this.#table.showSort(query);
    this.#marks.clear();
    this.#window = undefined;
    this.#requested = undefined;
    this.#jump = undefined;
    this.#table.scrollTo(0);
    this.#setNewAbove(0);
    for (const status of ORDER_STATUSES)
      this.#elements.statusChips[status].setAttribute('aria-pressed', String(query.statuses.includes(status)));
    this.renderSoon();
  }

  /**
   * The window about to arrive starts at order `id` (a keyset window): the table scrolls to where it
   * begins, and highlights the row once it is there (a just created order may come a moment later).
   * Until then the scroll position asks for no other window.
   */
  expectRow(id: RowId, found: (shown: boolean) => void): void {
    this.#jump = { id, found, until: this.#deps.now() + EXPECT_ROW_MS };
  }

  /** The row if the window holds it: scrolls to it and highlights it; false when it is not held. */
  scrollToRow(id: RowId): boolean {
    const window = this.#window;
    const at = window?.rows.findIndex((row) => this.#identity.idOf(row) === id) ?? -1;
    if (!window || at < 0) return false;
    const index = window.offset + at;
    // Draw first: the spacers must be as tall as the new total before scrollTop can reach its end.
    this.#render();
    this.#table.scrollTo(scrollTopForIndex(Math.max(0, index - SCROLL_CONTEXT_ROWS), this.#table.viewportPx, window.total, this.#rowPx));
    // The table itself may be off screen (the form is below it on narrow screens).
    this.#elements.tableScroll.scrollIntoView({ block: 'nearest' });
    this.#highlight = { id, until: this.#deps.now() + MARK_MS };
    this.renderSoon();
    return true;
  }

  showConnectionState(state: ConnectionState, now: number): void {
    this.#connection = { state, now };
    const element = this.#elements.connectionState;
    const freshness = state.name === 'live' ? this.#freshness : undefined;
    // Never "live" for a view the page cannot vouch for: a stopped hop makes it "stale", a view that
    // trails with nothing stopped "behind" (guarantee 8).
    const shown = freshness?.state === 'stale' || freshness?.state === 'behind' ? freshness.state : state.name;
    element.textContent = freshness?.pill ?? formatConnectionState(state, now);
    element.dataset['state'] = shown;
    // Lets the stylesheet mark the table as stale while not live.
    element.ownerDocument.body.dataset['connection'] = shown;
    this.#state = shown;
    this.#showTitle();
  }

  /** How fresh the table is while live (the pill's text, and whether it is stale). */
  showFreshness(view: FreshnessView): void {
    this.#freshness = view;
    if (this.#connection) this.showConnectionState(this.#connection.state, this.#connection.now);
  }

  showFrame(frame: ShownFrame): void {
    const { frameTime } = frame;
    for (const { event, before, hops } of frame.diffs) {
      if (before && event.ops) this.#marks.record(before.rows, before.offset, event.ops, frameTime, (row) => this.#identity.idOf(row));
      this.#stats.record(frameTime, hops.replay ? undefined : hops.totalMs, event.ops?.length ?? 0);
      this.#hops.record(frameTime, hops);
      // A transaction the service sent in consecutive frames (same txId) is one entry, grown in place.
      const same = this.#lastTx !== undefined && event.txId !== null && event.txId !== undefined && this.#lastTx.txId === event.txId;
      const parts = same ? [...this.#lastTx!.parts, { event, before }] : [{ event, before }];
      const entry = activityEntry(parts, hops, frameTime, this.#identity);
      const logged = same && this.#lastTx!.logged;
      if (entry && logged) this.#log.replaceNewest(entry);
      else if (entry) this.#log.add(entry);
      this.#lastTx = { txId: event.txId ?? null, parts, logged: logged || entry !== undefined };
    }
    this.#holdRows(this.#window, frame.window);
    this.#window = frame.window;
    // The span asked for stays asked for when the server had fewer rows (a new query's empty window):
    // taken as the rows' count, the first rows to come would ask for the window again, and a
    // transaction arriving meanwhile would reach the page as a whole window, its diff (and log count) lost.
    if (frame.replaced)
      this.#requested = { offset: frame.window.offset, limit: Math.max(1, frame.window.rows.length, this.#requested?.limit ?? 0) };
    const jump = this.#jump;
    if (jump) {
      if (this.scrollToRow(jump.id)) {
        this.#jump = undefined;
        jump.found(true);
      } else if (frame.replaced) {
        // Where the row will be: the keyset window begins at its rank.
        this.#table.scrollTo(
          scrollTopForIndex(
            Math.max(0, frame.window.offset - SCROLL_CONTEXT_ROWS),
            this.#table.viewportPx,
            frame.window.total,
            this.#rowPx,
          ),
        );
      } else if (frameTime > jump.until) {
        this.#jump = undefined;
        jump.found(false);
      }
    }
    this.#showCatchingUp(frame.catchingUp);
    this.#showTotals(frame.window);
    if (frame.diffs.length > 0) this.#chart.render(this.#stats.series(frameTime));
    this.#showHops(frameTime);
    this.#render();
  }

  /**
   * The counts of the rows matching the search, whatever the chips (a second, 1-row window), by the
   * table's countBy column: orders' status on its chips, another column on chips of its values
   * (`pressed`: the query's); both filter. Undefined: the table counts by nothing, no chips.
   */
  showCounts(column: string | undefined, counts: Readonly<Record<string, number>>, pressed: readonly string[] = []): void {
    const statusChips = this.#identity.table === 'orders' && column === 'status';
    this.#elements.statusGroup.hidden = !statusChips;
    if (statusChips) {
      showStatusCounts(this.#elements, counts);
      showColumnCounts(this.#elements, undefined, {});
    } else showColumnCounts(this.#elements, column, counts, pressed);
  }

  showSummary(summary: Summary): void {
    showSummary(this.#elements, summary);
    this.showError(summary.error);
  }

  #showTotals(window: WindowEvent): void {
    showTotals(this.#elements, window.total, this.#identity.table);
    this.#showTitle();
  }

  #showTitle(): void {
    showTitle(this.#elements, this.#state, this.#window?.total, this.#identity.table);
  }

  #showCatchingUp(changes: number): void {
    if (changes === 0) return;
    showCatchingUp(this.#elements, changes);
    this.#deps.clearTimeout(this.#catchingUpTimer);
    this.#catchingUpTimer = this.#deps.setTimeout(() => showCatchingUp(this.#elements, 0), CATCHING_UP_HOLD_MS);
  }

  #showHops(now: number): void {
    showHops(this.#elements, this.#hops.medians(now));
  }

  showReloaded(): void {
    const gap = this.#elements.gapStatus;
    gap.textContent = 'back live: the table shows the latest rows';
    gap.dataset['gap'] = 'reloaded';
    this.#deps.clearTimeout(this.#noteTimer);
    this.#noteTimer = this.#deps.setTimeout(() => {
      gap.textContent = '';
      delete gap.dataset['gap'];
    }, NOTE_MS);
  }

  /** An error the reader should see (error frame, bad configuration); undefined hides it. */
  showError(message: string | undefined): void {
    this.#elements.serverError.hidden = message === undefined;
    this.#elements.serverError.textContent = message ?? '';
  }

  /** Once a second: the chart's window slides even when nothing happens. */
  tick(now: number): void {
    this.#chart.render(this.#stats.series(now));
    this.#showHops(now);
  }

  renderSoon(): void {
    if (this.#renderPending) return;
    this.#renderPending = true;
    this.#deps.requestFrame(() => {
      this.#renderPending = false;
      this.#render();
    });
  }

  #render(): void {
    const now = this.#deps.now();
    const window = this.#window;
    const total = window?.total ?? 0;
    const viewportPx = this.#table.viewportPx;
    const at = layout(this.#table.scrollTop, viewportPx, total, this.#rowPx);
    if (this.#jump && this.#jump.until <= now) {
      const { found } = this.#jump;
      this.#jump = undefined;
      found(false);
    }
    if (
      window &&
      !this.#jump &&
      needsWindow(this.#requested && { offset: this.#requested.offset, length: this.#requested.limit, total }, at.first, at.count)
    ) {
      this.#requested = windowFor(at.first, at.count);
      this.#deps.requestWindow(this.#requested);
    }
    if (this.#highlight && this.#highlight.until <= now) this.#highlight = undefined;
    const idOf = (row: LiveRow) => this.#identity.idOf(row);
    const held = new Set(window?.rows.map(idOf));
    const ghosts = this.#marks.ghosts(now, (id) => held.has(id));
    const slots = tableSlots(window, at.first, at.count, ghosts);
    this.#onScreen = slots.flatMap((slot) => (slot.kind === 'row' ? [idOf(slot.row)] : []));
    this.#table.render({
      layout: at,
      total,
      slots,
      marks: this.#marks,
      highlightId: this.#highlight?.id,
      now,
    });
    const next = [this.#marks.prune(now), this.#highlight?.until].filter((t): t is number => t !== undefined);
    this.#deps.clearTimeout(this.#markTimer);
    if (next.length > 0) this.#markTimer = this.#deps.setTimeout(() => this.renderSoon(), Math.max(0, Math.min(...next) - now) + 20);
  }
}
