/**
 * GET /config.js: the page's run-time configuration as a classic script, so one build serves any
 * environment (the websocket URL comes from WEBSOCKET_URL, the orders API's from ORDERS_API_URL, not from a rebuild).
 */
import type { Config } from './config.js';

/** The global the page reads; src/page/page-config.ts validates it. */
const PAGE_CONFIG_GLOBAL = '__ORDERS_LIVE_CONFIG__';

export function configScript(config: Config): string {
  // JSON is valid JavaScript here; it is served as its own file, so no HTML escaping is needed.
  const pageConfig = { websocketUrl: config.websocketUrl, apiUrl: config.ordersApiUrl };
  return `window.${PAGE_CONFIG_GLOBAL} = ${JSON.stringify(pageConfig)};\n`;
}
