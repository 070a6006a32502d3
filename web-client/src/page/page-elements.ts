/** The elements of index.html the page drives, found once by data-testid; a missing one is a broken page, said at once. */
import { ORDER_STATUSES, type OrderStatus } from '@orders-live/protocol';

export interface PageElements {
  readonly table: HTMLTableElement;
  readonly tableScroll: HTMLElement;
  /** The table's scroll box and what floats over it: the pointer in here holds the rows where they are (row-anchor.ts). */
  readonly tableFrame: HTMLElement;
  /** "N new — show": rows that came above the held rows. */
  readonly newRows: HTMLButtonElement;
  readonly connectionState: HTMLElement;
  readonly gapStatus: HTMLElement;
  readonly catchingUp: HTMLElement;
  readonly rowCount: HTMLElement;
  readonly rowCountLabel: HTMLElement;
  /** The table picker: welcome's tables (?table=…). */
  readonly tablePicker: HTMLSelectElement;
  /** Said in place of the create form for a table the page does not write ("edit this table in Adminer"). */
  readonly readOnlyNote: HTMLElement;
  /** The create form's panel (orders only). */
  readonly createPanel: HTMLElement;
  /** The status chips' group (orders'), and the chips that count another table's countBy column. */
  readonly statusGroup: HTMLElement;
  readonly columnCounts: HTMLElement;
  /** The status chips (buttons that filter), and the count in each. */
  readonly statusChips: Readonly<Record<OrderStatus, HTMLButtonElement>>;
  readonly statusCounts: Readonly<Record<OrderStatus, HTMLElement>>;
  readonly search: {
    readonly form: HTMLFormElement;
    readonly text: HTMLInputElement;
    readonly column: HTMLSelectElement;
    readonly match: HTMLSelectElement;
    /** "any case": the search ignores case. */
    readonly anyCase: HTMLInputElement;
    readonly error: HTMLElement;
  };
  readonly emptyState: HTMLElement;
  readonly tableNotice: HTMLElement;
  readonly latency: HTMLElement;
  readonly server: HTMLElement;
  readonly invalidFrames: HTMLElement;
  readonly invalidFramesLine: HTMLElement;
  readonly serverError: HTMLElement;
  readonly apiError: {
    readonly box: HTMLElement;
    readonly code: HTMLElement;
    readonly text: HTMLElement;
    readonly dismiss: HTMLButtonElement;
  };
  readonly createForm: HTMLFormElement;
  readonly createStatus: HTMLElement;
  readonly activityLog: HTMLElement;
  readonly activityEmpty: HTMLElement;
  readonly rateChart: {
    readonly figure: HTMLElement;
    readonly countScale: HTMLElement;
    readonly latencyScale: HTMLElement;
    readonly summary: HTMLElement;
  };
  readonly hopSummary: HTMLElement;
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
  const chips = find('status-counts');
  const statusChips = Object.fromEntries(
    ORDER_STATUSES.map((status) => {
      const element = chips.querySelector(`[data-status="${status}"]`);
      if (!(element instanceof HTMLButtonElement)) throw new Error(`[data-testid=status-counts] lacks <button data-status=${status}>`);
      return [status, element];
    }),
  ) as Record<OrderStatus, HTMLButtonElement>;
  const statusCounts = Object.fromEntries(ORDER_STATUSES.map((status) => [status, find(`count-${status}`)])) as Record<
    OrderStatus,
    HTMLElement
  >;

  return {
    table: find('orders-table', HTMLTableElement),
    tableScroll: find('table-scroll'),
    tableFrame: find('table-frame'),
    newRows: find('new-rows', HTMLButtonElement),
    connectionState: find('connection-state'),
    gapStatus: find('gap-status'),
    catchingUp: find('catching-up'),
    rowCount: find('row-count'),
    rowCountLabel: find('row-count-label'),
    tablePicker: find('table-picker', HTMLSelectElement),
    readOnlyNote: find('read-only-note'),
    createPanel: find('create-panel'),
    statusGroup: chips,
    columnCounts: find('column-counts'),
    statusChips,
    statusCounts,
    search: {
      form: find('search-form', HTMLFormElement),
      text: find('search-text', HTMLInputElement),
      column: find('search-column', HTMLSelectElement),
      match: find('search-match', HTMLSelectElement),
      anyCase: find('search-case', HTMLInputElement),
      error: find('search-error'),
    },
    emptyState: find('empty-state'),
    tableNotice: find('table-notice'),
    latency: find('latency'),
    server: find('server'),
    invalidFrames: find('invalid-frames'),
    invalidFramesLine: find('invalid-frames-line'),
    serverError: find('server-error'),
    apiError: {
      box: find('api-error'),
      code: find('api-error-code'),
      text: find('api-error-message'),
      dismiss: find('api-error-dismiss', HTMLButtonElement),
    },
    createForm: find('create-form', HTMLFormElement),
    createStatus: find('create-status'),
    activityLog: find('activity-log'),
    activityEmpty: find('activity-empty'),
    rateChart: {
      figure: find('rate-chart'),
      countScale: find('rate-scale-count'),
      latencyScale: find('rate-scale-latency'),
      summary: find('rate-summary'),
    },
    hopSummary: find('hop-summary'),
  };
}
