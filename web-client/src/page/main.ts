/** The page's entry point: reads the run-time config and wires the modules to the page and the world. */
import { OrdersLiveClient, defaultDeps } from '@orders-live/client';
import {
  DEFAULT_TABLE,
  matchesFilter,
  type LiveRow,
  type OrderRow,
  type RowId,
  type SubscriptionFilter,
  type TableInfo,
  type WindowQuery,
} from '@orders-live/protocol';
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
import { filterForQuery, keyBefore, nextSort, sameFilter, searchWithQuery, type TableQuery } from './query/table-query.js';
import { PageTables, type UrlSearch } from './tables/page-tables.js';
import { defaultQueryFor, ORDERS_TABLE, queryForTable, type TableShapeInfo } from './tables/table-choice.js';
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
  readonly table: string;
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
  let query: TableQuery = queryForTable(location.search, ORDERS_TABLE);
  const notice = noticeOn(elements.tableNotice, timers);

  const windowQuery = (span: WindowSpan, sort = query.sort): WindowQuery => ({ orderBy: sort, limit: span.limit, offset: span.offset });
  const page = new PageDisplay(elements, {
    now: () => Date.now(),
    ...timers,
    requestFrame,
    requestWindow: (span) => tableConnection.client?.setWindow(windowQuery(span)),
    onSort: (column) => setQuery(nextSort(query, column), { byUser: true }),
    onShowRow: (id) => showRow(id, undefined),
  });
  // The table shown (?table=…): orders' shape at once, another's from a welcome frame (page-tables.ts).
  const url = urlSearch(window);
  const tables = new PageTables({
    elements,
    page,
    url,
    query: () => query,
    setQuery: (next) => (query = next),
    switched: () => {
      queryNote.hidden = true;
      tableShape.forget();
      subscribe();
    },
    notice,
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
  const createClient = clientFactory(websocketUrl, token);

  const queryNote = noteLine(document, 'query-note', 'status');
  const followColumns = new FollowColumns({
    current: () => query,
    defaults: () => defaultQueryFor(tables.shown),
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

  const live = { page, requestFrame, timers, websocketUrl, tableShape, followColumns, tables };
  const { tableConnection, countsConnection } = liveConnections(createClient, { ...live, pressedChips: () => query.chips?.values ?? [] });

  const startCounts = countsStarter(countsConnection);
  const subscribe = (shown: TableQuery = query) => {
    page.resetForQuery(shown);
    tableConnection.start({ table: tables.shown.name, filter: filterForQuery(shown), window: windowQuery(page.initialSpan(), shown.sort) });
    startCounts(tables.shown, shown);
  };

  // Sort, filter and search live in the URL (per tab, across reloads, shareable). `force`: subscribe
  // afresh whatever changed (after a probe for the columns); `byUser`: the reader asked, old notes go.
  function setQuery(next: TableQuery, how: { readonly force?: boolean; readonly byUser?: boolean } = {}): void {
    const refilter = how.force === true || needsNewSubscription(query, next);
    if (how.byUser === true) queryNote.hidden = true;
    query = next;
    url.replace(searchWithQuery(url.search(), query, defaultQueryFor(tables.shown)));
    showQueryInControls(elements, query);
    if (refilter) subscribe();
    else {
      page.resetForQuery(query);
      tableConnection.client?.setWindow(windowQuery(page.initialSpan()));
    }
  }

  const showRow = (id: RowId, row: LiveRow | undefined) =>
    showOrder({ page, client: tableConnection.client, sort: query.sort, notice }, id, row);

  bindWrites(elements, page, { apiUrl: config.config.apiUrl, token, notice, setTimeout: timers.setTimeout }, (id, draft) =>
    showCreated(id, draft, filterForQuery(query), showRow),
  );
  showQueryInControls(elements, query);
  bindTableControls(
    elements,
    () => query,
    (next) => setQuery(next, { byUser: true }),
    timers,
  );

  followNetwork([tableConnection, countsConnection]);
  // A client whose welcome names the tables: on orders' one-row window (always streamed); its subscription does not matter.
  tables.start(
    () => createClient({ table: DEFAULT_TABLE, filter: undefined, window: { orderBy: { column: 'id', direction: 'asc' }, limit: 1 } }),
    () => {
      showQueryInControls(elements, query);
      subscribe();
    },
  );
}

/**
 * The page's two live subscriptions: the window the table shows (replaced, a new client, when the
 * table or filter changes; moved when it scrolls or sorts), and the chips' counts (a one-row window
 * over the search alone, whatever the chips).
 */
function liveConnections(
  createClient: (spec: Subscription) => OrdersLiveClient,
  ctx: Omit<TableClientContext, 'lastChange' | 'pipelineStatus' | 'freshnessLine' | 'onTables'> & {
    readonly tables: PageTables;
    /** The chips of another table's count column pressed now (its counts show them pressed). */
    readonly pressedChips: () => readonly string[];
  },
) {
  // Beside the pill: which part of the pipeline is down (while not live), and how fresh it is (while live).
  const pipelineStatus = pipelineStatusElement(document);
  const freshnessLine = freshnessElement(document);
  // The footer's last change outlives the client a filter change replaces.
  const lastChange: LastChange = { hops: undefined };
  const tableConnection = new LiveConnection<OrdersLiveClient, Subscription>({
    createClient,
    show: (client) =>
      bindTableClient(client, { ...ctx, lastChange, pipelineStatus, freshnessLine, onTables: (known) => ctx.tables.known(known) }),
  });
  const countsConnection = new LiveConnection<OrdersLiveClient, Subscription>({
    createClient,
    show: (client) =>
      client.on('window', (event) => ctx.page.showCounts(ctx.tables.shown.countBy ?? undefined, event.counts ?? {}, ctx.pressedChips())),
  });
  return { tableConnection, countsConnection };
}

interface TableClientContext {
  readonly page: PageDisplay;
  readonly lastChange: LastChange;
  readonly requestFrame: (run: () => void) => void;
  readonly timers: { setTimeout(run: () => void, delayMs: number): unknown; clearTimeout(handle: unknown): void };
  readonly pipelineStatus: HTMLElement;
  readonly freshnessLine: HTMLElement;
  readonly websocketUrl: string;
  readonly tableShape: TableShape;
  readonly followColumns: FollowColumns;
  /** A welcome frame's tables. */
  readonly onTables: (tables: readonly TableInfo[]) => void;
}

/** Shows the table's client on the page: its window, the pipeline status, freshness, the table's shape; returns the unbinding. */
function bindTableClient(client: OrdersLiveClient, ctx: TableClientContext): () => void {
  const intervals = {
    setInterval: (run: () => void, ms: number) => window.setInterval(run, ms),
    clearInterval: (handle: unknown) => window.clearInterval(handle as number),
  };
  const unbindWindow = bindWindow(client, {
    display: ctx.page,
    lastChange: ctx.lastChange,
    now: () => Date.now(),
    requestFrame: ctx.requestFrame,
    warn: (message) => console.warn(message),
    ...intervals,
  });
  // While not live, which part of the pipeline is down or catching up (the service's /readyz).
  const unbindStatus = bindPipelineStatus(client, {
    element: ctx.pipelineStatus,
    websocketUrl: ctx.websocketUrl,
    fetch: (url, init) => window.fetch(url, init),
    ...ctx.timers,
  });
  // While live, how fresh the table is, and which hop stopped when it is not (freshness frames).
  const unbindFreshness = bindFreshness(client, { display: ctx.page, element: ctx.freshnessLine, now: () => Date.now(), ...intervals });
  // A stream problem (stream-status) and the table's last schema change (columns), beside the pill;
  // the table follows the columns, and the query drops what names a column that is gone.
  const unbindShape = ctx.tableShape.bind(client);
  const unbindErrors = client.on('server-error', (frame) => ctx.followColumns.serverError(frame.code));
  const unbindWelcome = client.on('welcome', (frame) => ctx.onTables(frame.tables));
  return () => {
    unbindWelcome();
    unbindShape();
    unbindErrors();
    unbindWindow();
    unbindStatus();
    unbindFreshness();
  };
}

/**
 * Writes go to the orders API (the create form and the row buttons); the table learns of them from
 * the stream like of anyone else's. `onCreated` says where the new order is.
 */
function bindWrites(
  elements: ReturnType<typeof findPageElements>,
  page: PageDisplay,
  deps: {
    readonly apiUrl: string;
    readonly token: string | undefined;
    readonly notice: (text: string) => void;
    readonly setTimeout: (run: () => void, ms: number) => unknown;
  },
  onCreated: (id: number, draft: OrderDraft) => string,
): void {
  const api = new OrdersApi(deps.apiUrl, {
    fetch: (url, init) => window.fetch(url, init),
    timeoutSignal: (ms) => AbortSignal.timeout(ms),
    token: deps.token,
  });
  const apiErrors = new ApiErrorMessage(elements.apiError);
  new CreateForm(elements.createForm, elements.createStatus, { api, errors: apiErrors, onCreated });
  bindRowActions(page.tableBody, { api, errors: apiErrors, notice: deps.notice, setTimeout: deps.setTimeout });
}

/** The browser knows when the network is gone: no retries until it says it is back. */
function followNetwork(connections: readonly { setNetworkOnline(online: boolean): void }[]): void {
  const setOnline = (online: boolean) => {
    for (const connection of connections) connection.setNetworkOnline(online);
  };
  window.addEventListener('offline', () => setOnline(false));
  window.addEventListener('online', () => setOnline(true));
  setOnline(navigator.onLine);
}

/** A note under the toolbar ("Order 12 deleted."), gone after NOTICE_MS. */
function noticeOn(element: HTMLElement, timers: { setTimeout(run: () => void, ms: number): unknown; clearTimeout(handle: unknown): void }) {
  let timer: unknown;
  return (text: string) => {
    element.textContent = text;
    timers.clearTimeout(timer);
    timer = timers.setTimeout(() => (element.textContent = ''), NOTICE_MS);
  };
}

/** The URL's query string, read now, and replaced in place (per tab; no history entry). */
function urlSearch(win: Window): UrlSearch {
  return {
    search: () => win.location.search,
    replace: (search) => win.history.replaceState(win.history.state, '', `${win.location.pathname}${search}${win.location.hash}`),
  };
}

/** A client per subscription, on the page's WebSocket URL with its token. */
function clientFactory(url: string, token: string | undefined): (spec: Subscription) => OrdersLiveClient {
  return (spec) =>
    new OrdersLiveClient(
      { url, table: spec.table, filter: spec.filter, window: spec.window, token },
      defaultDeps((u, protocols) => new WebSocket(u, protocols)),
    );
}

/**
 * The chips' counts: started again only when the table or the search changes (a chip, orders' status
 * or another table's, leaves them as they are: they ignore the chips). They count by the table's countBy (the window's default);
 * a table that counts by nothing has no counts window.
 */
function countsStarter(connection: LiveConnection<OrdersLiveClient, Subscription>): (table: TableShapeInfo, shown: TableQuery) => void {
  let countsKey: string | undefined;
  return (table, shown) => {
    if (table.countBy === null) {
      countsKey = undefined;
      connection.stop();
      return;
    }
    const counts: Subscription = {
      table: table.name,
      filter: filterForQuery(shown, { statuses: false }),
      window: { orderBy: { column: table.key[0] ?? shown.sort.column, direction: 'asc' }, limit: 1 },
    };
    const key = JSON.stringify(counts);
    if (key === countsKey && connection.client) return;
    countsKey = key;
    connection.start(counts);
  };
}

/** A new query needs new subscriptions when its filter (the chips' or the search's) differs; a sort only moves the window. */
function needsNewSubscription(query: TableQuery, next: TableQuery): boolean {
  return (
    !sameFilter(query, next) ||
    JSON.stringify(filterForQuery(query, { statuses: false })) !== JSON.stringify(filterForQuery(next, { statuses: false }))
  );
}

/**
 * Shows a row: scrolls to it when the window holds it, else asks for the window that starts at it
 * (a keyset window `after` the key just before it; `row` gives the key, or an estimate of it).
 */
function showOrder(
  ctx: {
    readonly page: PageDisplay;
    readonly client: OrdersLiveClient | undefined;
    readonly sort: TableQuery['sort'];
    readonly notice: (text: string) => void;
  },
  id: RowId,
  row: LiveRow | undefined,
): void {
  const { page, client, notice } = ctx;
  const identity = page.identity;
  const what = `${identity.table === DEFAULT_TABLE ? 'Order' : 'Row'} ${identity.label(id)}`;
  if (page.scrollToRow(id)) return;
  const known = row ?? client?.get(id);
  if (!client || !known) {
    notice(`${what} is not in this view now.`);
    return;
  }
  page.expectRow(id, (shown) => {
    if (!shown) notice(`${what} is not in this view now (deleted, or it no longer matches).`);
  });
  const idColumn = identity.key.length === 1 ? identity.key[0] : undefined;
  client.setWindow({ orderBy: ctx.sort, limit: page.initialSpan().limit, after: keyBefore(known, ctx.sort, id, idColumn) });
}

/** Where a created order is: shown highlighted, or said to be outside this view. */
function showCreated(
  id: number,
  draft: OrderDraft,
  filter: SubscriptionFilter | undefined,
  showRow: (id: number, row: LiveRow) => void,
): string {
  const estimate = estimatedRow(id, draft);
  if (!matchesFilter(filter, estimate)) return `Order #${id} created; it is not in this view (filtered or searched out).`;
  showRow(id, estimate);
  return `Order #${id} created; the table shows it highlighted.`;
}

/** The created order as the database will hold it, near enough to find its place in any sort order. */
function estimatedRow(id: number, draft: OrderDraft): OrderRow {
  const now = new Date().toISOString();
  return { id, ...draft, status: draft.status ?? 'pending', created_at: now, updated_at: now };
}

main();
