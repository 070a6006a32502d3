/**
 * The page around the table: connection indicator, row count, status line, errors. Finds the
 * elements index.html provides by data-testid; writes text only.
 */
import type { ConnectionState } from './connection.js';
import type { Display, RowsUpdate, Summary } from './session.js';
import { OrdersTable } from './orders-table.js';
import { formatLatency } from './format.js';

export class PageView implements Display {
  readonly #document: Document;
  readonly #table: OrdersTable;
  readonly #state: HTMLElement;
  readonly #rowCount: HTMLElement;
  readonly #empty: HTMLElement;
  readonly #latency: HTMLElement;
  readonly #server: HTMLElement;
  readonly #invalidFrames: HTMLElement;
  readonly #error: HTMLElement;

  constructor(document: Document) {
    this.#document = document;
    const find = (testId: string): HTMLElement => {
      const element = document.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
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
    this.#error = find('server-error');
  }

  showConnectionState(state: ConnectionState): void {
    this.#state.textContent = state;
    this.#state.dataset['state'] = state;
    // Lets the stylesheet mark the table as stale while not live.
    this.#document.body.dataset['connection'] = state;
  }

  applyUpdate(update: RowsUpdate): void {
    this.#table.apply(update);
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
    this.showError(summary.error);
  }

  /** An error the reader should see (error frame, bad configuration); undefined hides it. */
  showError(message: string | undefined): void {
    this.#error.hidden = message === undefined;
    this.#error.textContent = message ?? '';
  }
}

function setOrRemove(element: HTMLElement, attribute: string, value: string | undefined): void {
  if (value === undefined) element.removeAttribute(attribute);
  else element.setAttribute(attribute, value);
}
