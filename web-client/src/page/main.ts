/** The page's entry point: reads the run-time config and wires the client to the page. */
import { OrdersLiveClient, defaultDeps } from '@orders-live/client';
import { bindPage } from './page-binding.js';
import { readPageConfig } from './page-config.js';
import { PageView } from './render.js';

declare global {
  interface Window {
    /** Set by GET /config.js. */
    __ORDERS_LIVE_CONFIG__?: unknown;
  }
}

function main(): void {
  const page = new PageView(document);
  const config = readPageConfig(window.__ORDERS_LIVE_CONFIG__);
  if (!config.ok) {
    page.showConnectionState({ name: 'offline', reason: 'closed' }, Date.now());
    page.showError(config.message);
    return;
  }

  const client = new OrdersLiveClient({ url: config.config.websocketUrl }, defaultDeps((url) => new WebSocket(url)));
  bindPage(client, {
    display: page,
    now: () => Date.now(),
    warn: (message) => console.warn(message),
    setInterval: (run, intervalMs) => window.setInterval(run, intervalMs),
    clearInterval: (handle) => window.clearInterval(handle as number),
  });
  // The browser knows when the network is gone: no retries until it says it is back.
  window.addEventListener('offline', () => client.setNetworkOnline(false));
  window.addEventListener('online', () => client.setNetworkOnline(true));
  client.setNetworkOnline(navigator.onLine);
  client.connect();
}

main();
