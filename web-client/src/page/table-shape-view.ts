/**
 * Shows, beside the connection pill, when the stream has a problem (stream-status) and when the
 * table's columns differ from the ones the page shows (columns); hidden while neither holds. The
 * elements are made here so that the page's HTML need not change.
 */
import type { ColumnInfo, DegradedReport } from '@orders-live/protocol';
import { describeColumns, describeStreamProblem } from './table-shape.js';

export interface TableShapeSource {
  readonly columns: readonly ColumnInfo[] | undefined;
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

/** Binds both lines to a client; `shown`: the columns the page's table shows. Returns the unbinding. */
export function bindTableShape(client: TableShapeSource, elements: TableShapeElements, shown: readonly string[]): () => void {
  show(elements.problem, describeStreamProblem(client.degraded));
  show(elements.columns, describeColumns(client.columns, shown));
  const offStatus = client.on('stream-status', ({ degraded }) => show(elements.problem, describeStreamProblem(degraded)));
  const offColumns = client.on('columns', ({ columns }) => show(elements.columns, describeColumns(columns, shown)));
  return () => {
    offStatus();
    offColumns();
  };
}

function line(doc: Document, testId: string, role: string | undefined): HTMLElement {
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
  return { problem: line(doc, 'stream-problem', 'alert'), columns: line(doc, 'table-columns', undefined) };
}
