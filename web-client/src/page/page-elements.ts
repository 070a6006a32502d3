/** The elements of index.html the page drives, found once by data-testid; a missing one is a broken page, said at once. */
import { ORDER_STATUSES, type OrderStatus } from '@orders-live/protocol';

export interface PageElements {
  readonly table: HTMLTableElement;
  readonly connectionState: HTMLElement;
  readonly gapStatus: HTMLElement;
  readonly rowCount: HTMLElement;
  readonly statusCounts: Readonly<Record<OrderStatus, HTMLElement>>;
  readonly statusFilter: HTMLSelectElement;
  readonly emptyState: HTMLElement;
  readonly latency: HTMLElement;
  readonly server: HTMLElement;
  readonly invalidFrames: HTMLElement;
  readonly serverError: HTMLElement;
  readonly apiError: { readonly box: HTMLElement; readonly code: HTMLElement; readonly text: HTMLElement; readonly dismiss: HTMLButtonElement };
  readonly createForm: HTMLFormElement;
  readonly createStatus: HTMLElement;
  readonly activityLog: HTMLElement;
  readonly activityEmpty: HTMLElement;
  readonly rateChart: { readonly figure: HTMLElement; readonly countScale: HTMLElement; readonly latencyScale: HTMLElement; readonly summary: HTMLElement };
}

export function findPageElements(document: Document): PageElements {
  function find(testId: string): HTMLElement;
  function find<T extends HTMLElement>(testId: string, type: abstract new () => T): T;
  function find(testId: string, type: abstract new () => HTMLElement = HTMLElement): HTMLElement {
    const element = document.querySelector(`[data-testid="${testId}"]`);
    if (!element) throw new Error(`index.html lacks [data-testid=${testId}]`);
    if (!(element instanceof type)) throw new Error(`[data-testid=${testId}] is not a <${type.name}>`);
    return element;
  }
  const counts = find('status-counts');
  const statusCounts = Object.fromEntries(
    ORDER_STATUSES.map((status) => {
      const element = counts.querySelector<HTMLElement>(`[data-status="${status}"]`);
      if (!element) throw new Error(`[data-testid=status-counts] lacks [data-status=${status}]`);
      return [status, element];
    }),
  ) as Record<OrderStatus, HTMLElement>;

  return {
    table: find('orders-table', HTMLTableElement),
    connectionState: find('connection-state'),
    gapStatus: find('gap-status'),
    rowCount: find('row-count'),
    statusCounts,
    statusFilter: find('status-filter', HTMLSelectElement),
    emptyState: find('empty-state'),
    latency: find('latency'),
    server: find('server'),
    invalidFrames: find('invalid-frames'),
    serverError: find('server-error'),
    apiError: { box: find('api-error'), code: find('api-error-code'), text: find('api-error-message'), dismiss: find('api-error-dismiss', HTMLButtonElement) },
    createForm: find('create-form', HTMLFormElement),
    createStatus: find('create-status'),
    activityLog: find('activity-log'),
    activityEmpty: find('activity-empty'),
    rateChart: { figure: find('rate-chart'), countScale: find('rate-scale-count'), latencyScale: find('rate-scale-latency'), summary: find('rate-summary') },
  };
}
