/** The page's entry point: reads the run-time config and wires the modules to the page and the world. */
import { OrdersLiveClient, defaultDeps } from '@orders-live/client';
import { tokenFromFragment } from './access-token.js';
import { OrdersApi } from './api-client.js';
import { ApiErrorMessage } from './api-error.js';
import { CreateForm } from './create-form.js';
import { LiveConnection } from './live-connection.js';
import { bindPage } from './page-binding.js';
import { bindPipelineStatus, pipelineStatusElement } from './pipeline-status-view.js';
import { readPageConfig } from './page-config.js';
import { findPageElements } from './page-elements.js';
import { PageView } from './render.js';
import { bindRowActions } from './row-actions.js';
import { bindStatusFilter, choiceFromSearch, filterForChoice, searchWithChoice } from './status-filter.js';
import { ORDER_COLUMNS } from '@orders-live/protocol';
import { bindTableShape, tableShapeElements } from './table-shape-view.js';

declare global {
  interface Window {
    /** Set by GET /config.js. */
    __ORDERS_LIVE_CONFIG__?: unknown;
  }
}

/** The chart's window slides once a second. */
const CHART_TICK_MS = 1_000;

function main(): void {
  const elements = findPageElements(document);
  const page = new PageView(elements, {
    now: () => Date.now(),
    setTimeout: (run, delayMs) => window.setTimeout(run, delayMs),
    requestFrame: (run) => window.requestAnimationFrame(() => run()),
  });
  window.setInterval(() => page.tick(Date.now()), CHART_TICK_MS);

  const config = readPageConfig(window.__ORDERS_LIVE_CONFIG__);
  if (!config.ok) {
    page.showConnectionState({ name: 'offline', reason: 'closed' }, Date.now());
    page.showError(config.message);
    return;
  }

  // With access control on, the token comes in the URL fragment (#access_token=…; access-token.ts).
  const token = tokenFromFragment(location.hash);

  // Writes go to the orders API; the table learns of them from the stream like of anyone else's.
  const api = new OrdersApi(config.config.apiUrl, {
    fetch: (url, init) => window.fetch(url, init),
    timeoutSignal: (ms) => AbortSignal.timeout(ms),
    token,
  });
  const apiErrors = new ApiErrorMessage(elements.apiError);
  new CreateForm(elements.createForm, elements.createStatus, { api, errors: apiErrors });
  const tableBody = elements.table.tBodies[0];
  if (tableBody) bindRowActions(tableBody, { api, errors: apiErrors });

  const websocketUrl = config.config.websocketUrl;
  // While not live, which part of the pipeline is down or catching up (the service's /readyz).
  const pipelineStatus = pipelineStatusElement(document);
  const connection = new LiveConnection({
    createClient: (filter) =>
      new OrdersLiveClient({ url: websocketUrl, filter, token }, defaultDeps((url, protocols) => new WebSocket(url, protocols))),
    show: (client) => {
      page.clearRows();
      const unbindPage = bindPage(client, {
        display: page,
        now: () => Date.now(),
        warn: (message) => console.warn(message),
        setInterval: (run, intervalMs) => window.setInterval(run, intervalMs),
        clearInterval: (handle) => window.clearInterval(handle as number),
      });
      const unbindStatus = bindPipelineStatus(client, {
        element: pipelineStatus,
        websocketUrl,
        fetch: (url, init) => window.fetch(url, init),
        setTimeout: (run, ms) => window.setTimeout(run, ms),
        clearTimeout: (handle) => window.clearTimeout(handle as number),
      });
      // A stream problem (stream-status) and columns the table shows not (columns), beside the pill.
      const unbindShape = bindTableShape(client, tableShapeElements(document), ORDER_COLUMNS);
      return () => {
        unbindShape();
        unbindPage();
        unbindStatus();
      };
    },
  });

  // The filter is the server's: a new choice is a new subscription. The URL keeps it (per tab, across reloads).
  const initial = choiceFromSearch(location.search);
  bindStatusFilter(elements.statusFilter, initial, (choice) => {
    history.replaceState(history.state, '', `${location.pathname}${searchWithChoice(location.search, choice)}${location.hash}`);
    connection.start(filterForChoice(choice));
  });

  // The browser knows when the network is gone: no retries until it says it is back.
  window.addEventListener('offline', () => connection.setNetworkOnline(false));
  window.addEventListener('online', () => connection.setNetworkOnline(true));
  connection.setNetworkOnline(navigator.onLine);
  connection.start(filterForChoice(initial));
}

main();
