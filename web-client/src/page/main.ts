/** The page's entry point: reads the run-time config and wires the modules to the page and the world. */
import { OrdersLiveClient, defaultDeps } from '@orders-live/client';
import { matchesFilter, type LiveRow, type OrderRow, type SubscriptionFilter, type WindowQuery } from '@orders-live/protocol';
import { tokenFromFragment } from './writes/access-token.js';
import { OrdersApi, type OrderDraft } from './writes/api-client.js';
import { ApiErrorMessage } from './writes/api-error.js';
import { CreateForm } from './writes/create-form.js';
import { LiveConnection } from './live/live-connection.js';
import { bindFreshness, freshnessElement } from './live/freshness-binding.js';
import { bindWindow, type LastChange } from './live/window-binding.js';
import { bindPipelineStatus, pipelineStatusElement } from './live/pipeline-status-view.js';
import { readPageConfig } from './page-config.js';
import { findPageElements } from './page-elements.js';
import { PageDisplay } from './table/page-display.js';
import { bindRowActions } from './writes/row-actions.js';
import { bindTableControls, showQueryInControls, showSearchColumns } from './query/table-controls.js';
import { filterForQuery, keyBefore, nextSort, queryFromSearch, sameFilter, searchWithQuery, type TableQuery } from './query/table-query.js';
import type { WindowSpan } from './table/viewport.js';
import { TableShape, noteLine, tableShapeElements } from './table/table-shape-view.js';
import { FollowColumns } from './query/follow-columns.js';
import { searchableColumns } from './table/table-columns.js';

declare global {
  interface Window {
    /** Set by GET /config.js. */
    __ORDERS_LIVE_CONFIG__?: unknown;
  }
}

/** The chart's window slides once a second. */
const CHART_TICK_MS = 1_000;
/** Notes under the toolbar ("Order 12 deleted.") stay this long. */
const NOTICE_MS = 6_000;

interface Subscription {
  readonly filter: SubscriptionFilter | undefined;
  readonly window: WindowQuery;
}

function main(): void {
  const elements = findPageElements(document);
  const timers = {
    setTimeout: (run: () => void, delayMs: number) => window.setTimeout(run, delayMs),
    clearTimeout: (handle: unknown) => window.clearTimeout(handle as number),
  };
  const requestFrame = (run: () => void) => window.requestAnimationFrame(() => run());
  let query: TableQuery = queryFromSearch(location.search);
  let noticeTimer: unknown;
  const notice = (text: string) => {
    elements.tableNotice.textContent = text;
    timers.clearTimeout(noticeTimer);
    noticeTimer = timers.setTimeout(() => (elements.tableNotice.textContent = ''), NOTICE_MS);
  };

  const windowQuery = (span: WindowSpan, sort = query.sort): WindowQuery => ({ orderBy: sort, limit: span.limit, offset: span.offset });
  const page = new PageDisplay(elements, {
    now: () => Date.now(),
    ...timers,
    requestFrame,
    requestWindow: (span) => tableConnection.client?.setWindow(windowQuery(span)),
    onSort: (column) => setQuery(nextSort(query, column), { byUser: true }),
    onShowRow: (id) => showRow(id, undefined),
  });
  window.setInterval(() => page.tick(Date.now()), CHART_TICK_MS);
  window.addEventListener('resize', () => page.measure());

  const config = readPageConfig(window.__ORDERS_LIVE_CONFIG__);
  if (!config.ok) {
    page.showConnectionState({ name: 'offline', reason: 'closed' }, Date.now());
    page.showError(config.message);
    return;
  }

  // With access control on, the token comes in the URL fragment (#access_token=…; access-token.ts).
  const token = tokenFromFragment(location.hash);
  const websocketUrl = config.config.websocketUrl;
  const createClient = (spec: Subscription) =>
    new OrdersLiveClient(
      { url: websocketUrl, filter: spec.filter, window: spec.window, token },
      defaultDeps((url, protocols) => new WebSocket(url, protocols)),
    );

  // While not live, which part of the pipeline is down or catching up (the service's /readyz).
  const pipelineStatus = pipelineStatusElement(document);
  const freshnessLine = freshnessElement(document);
  // The footer's last change outlives the client a filter change replaces.
  const lastChange: LastChange = { hops: undefined };
  // The window the table shows; replaced (a new client) when the filter changes, moved when it scrolls or sorts.
  const tableConnection = new LiveConnection<OrdersLiveClient, Subscription>({
    createClient,
    show: (client) => {
      const unbindWindow = bindWindow(client, {
        display: page,
        lastChange,
        now: () => Date.now(),
        requestFrame,
        warn: (message) => console.warn(message),
        setInterval: (run, intervalMs) => window.setInterval(run, intervalMs),
        clearInterval: (handle) => window.clearInterval(handle as number),
      });
      const unbindStatus = bindPipelineStatus(client, {
        element: pipelineStatus,
        websocketUrl,
        fetch: (url, init) => window.fetch(url, init),
        ...timers,
      });
      // While live, how fresh the table is, and which hop stopped when it is not (freshness frames).
      const unbindFreshness = bindFreshness(client, {
        display: page,
        element: freshnessLine,
        now: () => Date.now(),
        setInterval: (run, ms) => window.setInterval(run, ms),
        clearInterval: (handle) => window.clearInterval(handle as number),
      });
      // A stream problem (stream-status) and the table's last schema change (columns), beside the pill;
      // the table follows the columns, and the query drops what names a column that is gone.
      const unbindShape = tableShape.bind(client);
      const unbindErrors = client.on('server-error', (frame) => followColumns.serverError(frame.code));
      return () => {
        unbindShape();
        unbindErrors();
        unbindWindow();
        unbindStatus();
        unbindFreshness();
      };
    },
  });
  // The chips' counts: a one-row window over the search alone, whatever the chips (its counts are per status).
  const countsConnection = new LiveConnection<OrdersLiveClient, Subscription>({
    createClient,
    show: (client) => client.on('window', (event) => page.showStatusCounts(event.counts)),
  });

  const queryNote = noteLine(document, 'query-note', 'status');
  const followColumns = new FollowColumns({
    current: () => query,
    apply: (next) => setQuery(next, { force: true }),
    probe: (shown) => subscribe(shown),
    note: (text) => {
      queryNote.textContent = text ?? '';
      queryNote.hidden = text === undefined;
    },
  });
  const tableShape = new TableShape(tableShapeElements(document), (columns) => {
    page.showColumns(columns);
    showSearchColumns(elements.search.column, searchableColumns(columns), query);
    followColumns.columns(columns);
  });

  // The counts' subscription, as last started: a status chip leaves it as it is (it ignores the chips).
  let countsKey: string | undefined;
  const subscribe = (shown: TableQuery = query) => {
    page.resetForQuery(shown);
    tableConnection.start({ filter: filterForQuery(shown), window: windowQuery(page.initialSpan(), shown.sort) });
    const counts: Subscription = {
      filter: filterForQuery(shown, { statuses: false }),
      window: { orderBy: { column: 'id', direction: 'asc' }, limit: 1 },
    };
    const key = JSON.stringify(counts);
    if (key === countsKey && countsConnection.client) return;
    countsKey = key;
    countsConnection.start(counts);
  };

  // Sort, filter and search live in the URL (per tab, across reloads, shareable). `force`: subscribe
  // afresh whatever changed (after a probe for the columns); `byUser`: the reader asked, old notes go.
  function setQuery(next: TableQuery, how: { readonly force?: boolean; readonly byUser?: boolean } = {}): void {
    const refilter =
      how.force === true ||
      !sameFilter(query, next) ||
      JSON.stringify(filterForQuery(query, { statuses: false })) !== JSON.stringify(filterForQuery(next, { statuses: false }));
    if (how.byUser === true) queryNote.hidden = true;
    query = next;
    history.replaceState(history.state, '', `${location.pathname}${searchWithQuery(location.search, query)}${location.hash}`);
    showQueryInControls(elements, query);
    if (refilter) subscribe();
    else {
      page.resetForQuery(query);
      tableConnection.client?.setWindow(windowQuery(page.initialSpan()));
    }
  }

  /**
   * Shows an order: scrolls to it when the window holds it, else asks for the window that starts at
   * it (a keyset window `after` the key just before it; `row` gives the key, or an estimate of it).
   */
  function showRow(id: number, row: LiveRow | undefined): void {
    if (page.scrollToRow(id)) return;
    const client = tableConnection.client;
    const known = row ?? client?.get(id);
    if (!client || !known) {
      notice(`Order ${id} is not in this view now.`);
      return;
    }
    page.expectRow(id, (shown) => {
      if (!shown) notice(`Order ${id} is not in this view now (deleted, or it no longer matches).`);
    });
    client.setWindow({ orderBy: query.sort, limit: page.initialSpan().limit, after: keyBefore(known, query.sort) });
  }

  // Writes go to the orders API; the table learns of them from the stream like of anyone else's.
  const api = new OrdersApi(config.config.apiUrl, {
    fetch: (url, init) => window.fetch(url, init),
    timeoutSignal: (ms) => AbortSignal.timeout(ms),
    token,
  });
  const apiErrors = new ApiErrorMessage(elements.apiError);
  new CreateForm(elements.createForm, elements.createStatus, {
    api,
    errors: apiErrors,
    onCreated: (id, draft) => {
      const estimate = estimatedRow(id, draft);
      if (!matchesFilter(filterForQuery(query), estimate))
        return `Order #${id} created; it is not in this view (filtered or searched out).`;
      showRow(id, estimate);
      return `Order #${id} created; the table shows it highlighted.`;
    },
  });
  bindRowActions(page.tableBody, { api, errors: apiErrors, notice, setTimeout: timers.setTimeout });
  showQueryInControls(elements, query);
  bindTableControls(
    elements,
    () => query,
    (next) => setQuery(next, { byUser: true }),
    timers,
  );

  // The browser knows when the network is gone: no retries until it says it is back.
  const setOnline = (online: boolean) => {
    tableConnection.setNetworkOnline(online);
    countsConnection.setNetworkOnline(online);
  };
  window.addEventListener('offline', () => setOnline(false));
  window.addEventListener('online', () => setOnline(true));
  setOnline(navigator.onLine);
  subscribe();
}

/** The created order as the database will hold it, near enough to find its place in any sort order. */
function estimatedRow(id: number, draft: OrderDraft): OrderRow {
  const now = new Date().toISOString();
  return { id, ...draft, status: draft.status ?? 'pending', created_at: now, updated_at: now };
}

main();
