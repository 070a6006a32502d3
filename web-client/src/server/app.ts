/**
 * Wires the server: the bundled page as static files, its run-time config at /config.js, /healthz.
 * The page talks to the websocket-service directly; this server never proxies it.
 * `main.ts` supplies the config and the logger; tests supply their own (and may point at another
 * public directory).
 */
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { Config } from './config.js';
import type { Logger } from '@orders-live/service-kit';
import { readinessUrl } from '@orders-live/protocol';
import { configScript } from './config-script.js';

/**
 * The bundle written by scripts/bundle.mjs: dist/public, found from this file's own location
 * (dist/server/app.js → dist/public), so it does not depend on the working directory.
 */
const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

/** Nothing is POSTed here; any body beyond this is a mistake or an attack. */
export const BODY_LIMIT_BYTES = 1024;

/**
 * For HTML: scripts and styles only from this origin (no inline); fetch only to this origin, the
 * orders API's (the page's writes) and the websocket-service's over http(s) (its /readyz, which says
 * which part of the pipeline is down: readinessUrl, as the page asks it), sockets to any ws:/wss: host
 * (WEBSOCKET_URL may name any).
 */
export function contentSecurityPolicy(config: Pick<Config, 'ordersApiUrl' | 'websocketUrl'>): string {
  const apiOrigin = new URL(config.ordersApiUrl).origin;
  const serviceOrigin = new URL(readinessUrl(config.websocketUrl)).origin;
  const origins = [...new Set([apiOrigin, serviceOrigin])].join(' ');
  return `default-src 'self'; connect-src 'self' ${origins} ws: wss:; style-src 'self'; script-src 'self'`;
}

export interface AppDeps {
  readonly log: Logger;
  /** Defaults to PUBLIC_DIR. */
  readonly publicDir?: string;
}

export function buildApp(config: Config, deps: AppDeps): FastifyInstance {
  const http: FastifyInstance = Fastify({
    // The cast is what types Fastify's logger as the base one (without it, inference makes it pino's own type).
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: deps.log.child({ module: 'http' }) as FastifyBaseLogger,
    // Health probes and asset requests would drown the log.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
  });

  const csp = contentSecurityPolicy(config);
  http.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) {
      reply.header('content-security-policy', csp);
    }
    return payload;
  });

  const script = configScript(config);
  http.get('/config.js', async (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'no-store').send(script),
  );
  http.get('/healthz', async () => ({ status: 'ok' }));

  http.register(fastifyStatic, { root: deps.publicDir ?? PUBLIC_DIR });

  return http;
}
