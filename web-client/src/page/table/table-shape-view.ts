/**
 * The table's shape and the stream's health, beside the connection pill: a line while the stream has
 * a problem (stream-status), and a line naming the table's last schema change (columns) — the table
 * itself follows the columns (`onColumns`). The last columns are kept across the page's clients (a
 * new filter is a new client), so a change is told once, whichever client heard it. The elements are
 * made here so that the page's HTML need not change.
 */
import { columnsChange } from '@orders-live/client';
import type { ColumnInfo, DegradedReport } from '@orders-live/protocol';
import { describeColumnsChange, describeStreamProblem } from './table-shape.js';

export interface TableShapeSource {
  readonly degraded: DegradedReport | null;
  on(event: 'columns', listener: (event: { readonly columns: readonly ColumnInfo[] }) => void): () => void;
  on(event: 'stream-status', listener: (event: { readonly degraded: DegradedReport | null }) => void): () => void;
}

export interface TableShapeElements {
  readonly problem: HTMLElement;
  readonly columns: HTMLElement;
}

function show(element: HTMLElement, text: string | undefined): void {
  element.textContent = text ?? '';
  element.hidden = text === undefined;
}

export class TableShape {
  readonly #elements: TableShapeElements;
  readonly #onColumns: (columns: readonly ColumnInfo[]) => void;
  #columns: readonly ColumnInfo[] | undefined;

  constructor(elements: TableShapeElements, onColumns: (columns: readonly ColumnInfo[]) => void) {
    this.#elements = elements;
    this.#onColumns = onColumns;
  }

  /** The table's columns as last told (undefined before the first columns frame). */
  get columns(): readonly ColumnInfo[] | undefined {
    return this.#columns;
  }

  /** Another table is shown: its columns are not a change of the last table's; the line goes. */
  forget(): void {
    this.#columns = undefined;
    show(this.#elements.columns, undefined);
  }

  /** Shows what a client is told from now on; returns the unbinding. */
  bind(client: TableShapeSource): () => void {
    show(this.#elements.problem, describeStreamProblem(client.degraded));
    const offStatus = client.on('stream-status', ({ degraded }) => show(this.#elements.problem, describeStreamProblem(degraded)));
    const offColumns = client.on('columns', ({ columns }) => {
      const text = describeColumnsChange(columnsChange(this.#columns, columns));
      if (text !== undefined) show(this.#elements.columns, text);
      this.#columns = columns;
      this.#onColumns(columns);
    });
    return () => {
      offStatus();
      offColumns();
    };
  }
}

/** A line of text beside the connection pill (made once, hidden until it has something to say). */
export function noteLine(doc: Document, testId: string, role: string | undefined): HTMLElement {
  const existing = doc.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  if (existing) return existing;
  const element = doc.createElement('p');
  element.className = testId;
  element.dataset['testid'] = testId;
  if (role) element.setAttribute('role', role);
  element.setAttribute('aria-live', 'polite');
  element.hidden = true;
  const pill = doc.querySelector('[data-testid="connection-state"]');
  (pill?.parentElement?.parentElement ?? doc.body).append(element);
  return element;
}

/** The two lines (`stream-problem`, `table-columns`), made once. */
export function tableShapeElements(doc: Document): TableShapeElements {
  return { problem: noteLine(doc, 'stream-problem', 'alert'), columns: noteLine(doc, 'table-columns', undefined) };
}
