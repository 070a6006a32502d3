/**
 * Wires the HTTP API: fastify with the orders routes, probes, CORS, one error handler and one
 * not-found handler that both answer { error: { code, message, fields? } }. `main.ts` supplies the
 * config, the pool and the logger; tests supply their own (a fake pool for the pure route tests).
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import { AUTH_OFF_WARNING } from '@orders-live/auth';
import { ERROR_CODES, type ErrorBody } from '@orders-live/protocol';
import type { Config } from './config.js';
import type { TransactionalDatabase } from './db.js';
import { describeError } from './errors.js';
import type { Logger } from '@orders-live/service-kit';
import { healthRoutes, PROBE_PATHS } from './routes/health.js';
import { ORDERS_PATH, ordersRoutes } from './routes/orders.js';

/** Browsers may reuse a CORS preflight answer this long before asking again. */
const CORS_PREFLIGHT_MAX_AGE_S = 600;

export interface AppDeps {
  readonly pool: TransactionalDatabase;
  readonly log: Logger;
  /** Epoch milliseconds, for token expiry; Date.now unless a test says otherwise. */
  readonly now?: () => number;
}

export function buildApp(config: Config, deps: AppDeps): FastifyInstance {
  const app: FastifyInstance = Fastify({
    // The cast is what types Fastify's logger as the base one (without it, inference makes it pino's own type).
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: deps.log.child({ module: 'http' }) as FastifyBaseLogger,
    // Request lines (method, url, status, time; never bodies), except for probes, which would drown them.
    logController: new LogController({ disableRequestLogging: (request) => PROBE_PATHS.has(request.url) }),
    bodyLimit: config.bodyLimitBytes,
  });

  // Only JSON bodies: without the text/plain parser, any other content-type is a 415.
  app.removeContentTypeParser('text/plain');

  // What the access token grants (authenticate.ts); null while access control is off.
  app.decorateRequest('access', null);
  if (!config.auth) deps.log.warn(AUTH_OFF_WARNING);

  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const { statusCode, body, log } = describeError(err, request.id);
    if (log.level === 'error') request.log.error({ err }, log.message);
    else if (log.level === 'warn') request.log.warn(log.withErr ? { ...log.details, err } : log.details, log.message);
    return reply.code(statusCode).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = { error: { code: ERROR_CODES.NOT_FOUND, message: `no route ${request.method} ${request.url.split('?')[0]}` } };
    return reply.code(404).send(body);
  });

  app.register(cors, {
    origin: [...config.corsOrigins],
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    // authorization: the page sends its access token when access control is on.
    allowedHeaders: ['content-type', 'authorization'],
    // So a page can read where a created order lives, and why a token was refused.
    exposedHeaders: ['location', 'www-authenticate'],
    maxAge: CORS_PREFLIGHT_MAX_AGE_S,
  });
  app.register(healthRoutes, { db: deps.pool });
  app.register(ordersRoutes, { db: deps.pool, auth: config.auth, now: deps.now ?? Date.now, prefix: ORDERS_PATH });

  return app;
}
