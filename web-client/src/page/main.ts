/** The page's entry point: reads the run-time config and wires connection, session and DOM. */
import { Connection, type Schedule } from './connection.js';
import { openBrowserSocket } from './browser-socket.js';
import { readPageConfig } from './page-config.js';
import { PageView } from './render.js';
import { OrdersSession } from './session.js';

declare global {
  interface Window {
    /** Set by GET /config.js. */
    __ORDERS_LIVE_CONFIG__?: unknown;
  }
}

const schedule: Schedule = (run, delayMs) => {
  const handle = window.setTimeout(run, delayMs);
  return () => window.clearTimeout(handle);
};

function main(): void {
  const page = new PageView(document);
  const config = readPageConfig(window.__ORDERS_LIVE_CONFIG__);
  if (!config.ok) {
    page.showConnectionState('offline');
    page.showError(config.message);
    return;
  }

  const session = new OrdersSession({ display: page, now: () => Date.now(), warn: (message) => console.warn(message) });
  const connection = new Connection(
    config.config.websocketUrl,
    { openSocket: openBrowserSocket, schedule, random: Math.random },
    {
      onState: (state) => page.showConnectionState(state),
      onOpen: (send) => send(session.subscribe()),
      onMessage: (data) => session.receive(data),
    },
  );
  // The browser knows when the network is gone: stop retrying until it says it is back.
  window.addEventListener('offline', () => connection.stop());
  window.addEventListener('online', () => connection.start());
  connection.start();
}

main();
