/**
 * The page around the client's view: table, counts by status, activity log, rate chart, connection
 * indicator, status line, errors. Implements page-binding's Display; writes text only.
 */
import type { AppliedChange, ConnectionState } from '@orders-live/client';
import { ORDER_STATUSES, type OrderRow } from '@orders-live/protocol';
import type { Display, Summary } from './page-binding.js';
import type { PageElements } from './page-elements.js';
import { OrdersTable } from './orders-table.js';
import { ActivityLog } from './activity-log.js';
import { activityEntry } from './activity.js';
import { RateChart } from './rate-chart.js';
import { RateStats } from './rate-stats.js';
import { applyToCounts, countStatuses, NO_COUNTS, type StatusCounts } from './status-counts.js';
import { formatConnectionState, formatGap, formatLatency } from './format.js';

export interface PageViewDeps {
  /** Epoch milliseconds, as Date.now. */
  readonly now: () => number;
  readonly setTimeout: (run: () => void, delayMs: number) => unknown;
  /** Runs `run` before the next paint (requestAnimationFrame): the chart is redrawn at most once a frame. */
  readonly requestFrame: (run: () => void) => void;
}

export class PageView implements Display {
  readonly #elements: PageElements;
  readonly #deps: PageViewDeps;
  readonly #table: OrdersTable;
  readonly #log: ActivityLog;
  readonly #chart: RateChart;
  readonly #stats = new RateStats();
  #counts: StatusCounts = NO_COUNTS;
  #chartPending = false;

  constructor(elements: PageElements, deps: PageViewDeps) {
    this.#elements = elements;
    this.#deps = deps;
    this.#table = new OrdersTable(elements.table, { setTimeout: deps.setTimeout });
    this.#log = new ActivityLog(elements.activityLog, elements.activityEmpty);
    this.#chart = new RateChart(elements.rateChart);
    this.#chart.render(this.#stats.series(deps.now()));
    this.#showCounts();
  }

  /** data-state is exactly the state's name (tests and the stylesheet read it); the text may say more. */
  showConnectionState(state: ConnectionState, now: number): void {
    const element = this.#elements.connectionState;
    element.textContent = formatConnectionState(state, now);
    element.dataset['state'] = state.name;
    // Lets the stylesheet mark the table as stale while not live.
    element.ownerDocument.body.dataset['connection'] = state.name;
  }

  replaceRows(rows: readonly OrderRow[]): void {
    this.#table.replaceRows(rows);
    this.#counts = countStatuses(rows);
    this.#showCounts();
  }

  applyChange(change: AppliedChange, shownAt: number): void {
    this.#table.applyChange(change);
    this.#counts = applyToCounts(this.#counts, change.previous, change.row);
    this.#showCounts();
    const entry = activityEntry(change, shownAt);
    this.#log.add(entry);
    this.#stats.record(shownAt, entry.latencyMs);
    this.#redrawChartSoon();
  }

  /** Empties the table and the counts (a new subscription is on its way); the log and the chart stay. */
  clearRows(): void {
    this.replaceRows([]);
  }

  /** Once a second: the chart's window slides even when nothing happens. */
  tick(now: number): void {
    this.#chart.render(this.#stats.series(now));
  }

  showSummary(summary: Summary): void {
    const e = this.#elements;
    e.rowCount.textContent = String(summary.rows);
    e.emptyState.hidden = summary.rows > 0;
    e.emptyState.textContent = summary.cursor === undefined ? 'Waiting for the first snapshot…' : 'No orders in view.';

    const latency = summary.latencyMs === undefined ? 'no changes yet' : `last change ${formatLatency(summary.latencyMs)} after commit`;
    e.latency.textContent = summary.cursor === undefined ? 'waiting for data' : `cursor ${summary.cursor} · ${latency}`;
    setOrRemove(e.latency, 'data-cursor', summary.cursor);
    setOrRemove(e.latency, 'data-latency-ms', summary.latencyMs === undefined ? undefined : String(summary.latencyMs));

    e.server.textContent = summary.server ?? '—';
    e.invalidFrames.textContent = String(summary.invalidFrames);

    e.gapStatus.textContent = formatGap(summary.gap);
    setOrRemove(e.gapStatus, 'data-gap', summary.gap.kind === 'none' ? undefined : summary.gap.kind);
    setOrRemove(e.gapStatus, 'data-replayed', summary.gap.kind === 'resumed' ? String(summary.gap.replayed) : undefined);

    this.showError(summary.error);
  }

  /** An error the reader should see (error frame, bad configuration); undefined hides it. */
  showError(message: string | undefined): void {
    this.#elements.serverError.hidden = message === undefined;
    this.#elements.serverError.textContent = message ?? '';
  }

  #showCounts(): void {
    for (const status of ORDER_STATUSES) {
      const element = this.#elements.statusCounts[status];
      element.textContent = String(this.#counts[status]);
      element.title = `${this.#counts[status]} ${status}`;
    }
  }

  #redrawChartSoon(): void {
    if (this.#chartPending) return;
    this.#chartPending = true;
    this.#deps.requestFrame(() => {
      this.#chartPending = false;
      this.tick(this.#deps.now());
    });
  }
}

function setOrRemove(element: HTMLElement, attribute: string, value: string | undefined): void {
  if (value === undefined) element.removeAttribute(attribute);
  else element.setAttribute(attribute, value);
}
