/**
 * The page around the table: connection indicator, row count, status line, errors. Finds the
 * elements index.html provides by data-testid; writes text only.
 */
import type { AppliedChange, ConnectionState } from '@orders-live/client';
import type { OrderRow } from '@orders-live/protocol';
import type { Display, Summary } from './page-binding.js';
import { OrdersTable } from './orders-table.js';
import { formatConnectionState, formatGap, formatLatency } from './format.js';

export class PageView implements Display {
  readonly #document: Document;
  readonly #table: OrdersTable;
  readonly #state: HTMLElement;
  readonly #rowCount: HTMLElement;
  readonly #empty: HTMLElement;
  readonly #latency: HTMLElement;
  readonly #server: HTMLElement;
  readonly #invalidFrames: HTMLElement;
  readonly #gap: HTMLElement;
  readonly #error: HTMLElement;

  constructor(document: Document) {
    this.#document = document;
    const query = (testId: string) => document.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
    const find = (testId: string): HTMLElement => {
      const element = query(testId);
      if (!element) throw new Error(`index.html lacks [data-testid=${testId}]`);
      return element;
    };
    const table = find('orders-table');
    if (!(table instanceof HTMLTableElement)) throw new Error('[data-testid=orders-table] is not a <table>');
    this.#table = new OrdersTable(table);
    this.#state = find('connection-state');
    this.#rowCount = find('row-count');
    this.#empty = find('empty-state');
    this.#latency = find('latency');
    this.#server = find('server');
    this.#invalidFrames = find('invalid-frames');
    this.#gap = query('gap-status') ?? addGapStatus(document, this.#invalidFrames);
    this.#error = find('server-error');
  }

  /** data-state is exactly the state's name (tests and the stylesheet read it); the text may say more. */
  showConnectionState(state: ConnectionState, now: number): void {
    this.#state.textContent = formatConnectionState(state, now);
    this.#state.dataset['state'] = state.name;
    // Lets the stylesheet mark the table as stale while not live.
    this.#document.body.dataset['connection'] = state.name;
  }

  replaceRows(rows: readonly OrderRow[]): void {
    this.#table.replaceRows(rows);
  }

  applyChange(change: AppliedChange): void {
    this.#table.applyChange(change);
  }

  showSummary(summary: Summary): void {
    this.#rowCount.textContent = String(summary.rows);
    this.#empty.hidden = summary.rows > 0;
    this.#empty.textContent = summary.cursor === undefined ? 'Waiting for the first snapshot…' : 'No orders yet.';

    const latency = summary.latencyMs === undefined ? 'no changes yet' : `last change ${formatLatency(summary.latencyMs)} after commit`;
    this.#latency.textContent = summary.cursor === undefined ? 'waiting for data' : `cursor ${summary.cursor} · ${latency}`;
    setOrRemove(this.#latency, 'data-cursor', summary.cursor);
    setOrRemove(this.#latency, 'data-latency-ms', summary.latencyMs === undefined ? undefined : String(summary.latencyMs));

    this.#server.textContent = summary.server ?? '—';
    this.#invalidFrames.textContent = String(summary.invalidFrames);

    this.#gap.textContent = formatGap(summary.gap);
    setOrRemove(this.#gap, 'data-gap', summary.gap.kind === 'none' ? undefined : summary.gap.kind);
    setOrRemove(this.#gap, 'data-replayed', summary.gap.kind === 'resumed' ? String(summary.gap.replayed) : undefined);

    this.showError(summary.error);
  }

  /** An error the reader should see (error frame, bad configuration); undefined hides it. */
  showError(message: string | undefined): void {
    this.#error.hidden = message === undefined;
    this.#error.textContent = message ?? '';
  }
}

/**
 * index.html (web-client/public) has no gap-status line yet: add one to the status footer, after
 * the invalid-frames counter. Once index.html carries the element, it is used as it is.
 */
function addGapStatus(document: Document, invalidFrames: HTMLElement): HTMLElement {
  const gap = document.createElement('span');
  gap.dataset['testid'] = 'gap-status';
  const footerItem = invalidFrames.parentElement;
  if (footerItem?.parentElement) footerItem.after(gap);
  else document.body.append(gap);
  return gap;
}

function setOrRemove(element: HTMLElement, attribute: string, value: string | undefined): void {
  if (value === undefined) element.removeAttribute(attribute);
  else element.setAttribute(attribute, value);
}
