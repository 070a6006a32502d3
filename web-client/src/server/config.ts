/**
 * The web-client server's configuration: parsed once from the environment, validated, frozen, passed
 * down. Nothing else reads process.env. A bad value fails start-up naming the variable.
 */
import * as z from 'zod';
import { listenConfig, listenEnv, parseEnv, type ListenConfig } from '@orders-live/service-kit';

export { ConfigError } from '@orders-live/service-kit';

/** The browser opens this URL itself, so it must be a WebSocket URL the browser can reach. */
const websocketUrl = z.string().refine(isWebSocketUrl, 'expected a ws:// or wss:// URL');

/** The page calls the orders API from the browser too (fetch), so it must be an http(s) URL the browser can reach. */
const httpUrl = z.string().refine(isHttpUrl, 'expected an http:// or https:// URL');

const envSchema = z.object({
  ...listenEnv(3000),
  WEBSOCKET_URL: websocketUrl.default('ws://localhost:3001/ws'),
  ORDERS_API_URL: httpUrl.default('http://localhost:3002'),
});

export interface Config extends ListenConfig {
  /** Where the page connects: handed to the browser at run time by GET /config.js. */
  readonly websocketUrl: string;
  /** Where the page sends its writes (services/orders-api): handed to the browser by GET /config.js. */
  readonly ordersApiUrl: string;
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const e = parseEnv(envSchema, env);
  return Object.freeze({
    ...listenConfig(e),
    websocketUrl: e.WEBSOCKET_URL,
    ordersApiUrl: e.ORDERS_API_URL,
  });
}

function isWebSocketUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'ws:' || protocol === 'wss:';
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}
