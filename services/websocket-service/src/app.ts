/**
 * Wires the service: HTTP (health, readiness) with fastify, WebSocket fan-out with raw `ws` on the
 * same port at /ws, and the Kafka change feed. `main.ts` supplies the config and the Kafka client;
 * tests supply their own.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import { WebSocketServer } from 'ws';
import { CLOSE_CODES } from '@orders-live/protocol';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { OrdersView } from './view.js';
import { Hub } from './hub.js';
import { ChangeFeed } from './change-feed.js';

export const WEBSOCKET_PATH = '/ws';

export interface AppDeps {
  readonly kafka: Kafka;
  readonly log: Logger;
}

export interface App {
  readonly http: FastifyInstance;
  readonly view: OrdersView;
  readonly hub: Hub;
  readonly feed: ChangeFeed;
}

export function buildApp(config: Config, deps: AppDeps): App {
  const log = deps.log;
  const http: FastifyInstance = Fastify({
    loggerInstance: log.child({ module: 'http' }) as FastifyBaseLogger,
    // Health probes arrive every few seconds; request lines would drown the log.
    logController: new LogController({ disableRequestLogging: true }),
  });
  const view = new OrdersView();
  const hub = new Hub(view, log.child({ module: 'hub' }), {
    serverId: config.serverId,
    snapshotChunkRows: config.snapshotChunkRows,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
  });
  const feed = new ChangeFeed(
    deps.kafka,
    view,
    log.child({ module: 'change-feed' }),
    { topic: config.kafka.topic, groupPrefix: `${config.kafka.clientId}-${config.serverId}` },
    (changes) => hub.broadcast(changes),
  );

  const wss = new WebSocketServer({
    server: http.server,
    path: WEBSOCKET_PATH,
    maxPayload: config.maxClientFrameBytes,
    perMessageDeflate: false,
  });
  wss.on('connection', (socket) => hub.accept(socket));

  http.get('/healthz', async () => ({ status: 'ok' }));
  http.get('/readyz', async (_request, reply) => {
    const body = { ready: feed.caughtUp, cursor: view.cursor, rows: view.size, clients: hub.clientCount };
    return reply.code(feed.caughtUp ? 200 : 503).send(body);
  });

  http.addHook('onReady', async () => {
    hub.start();
    // Not awaited: the HTTP server (and /readyz = 503) is up while the feed waits for Kafka.
    feed.start().catch((err: unknown) => {
      log.error({ err }, 'change feed failed to start');
    });
  });
  http.addHook('preClose', async () => {
    hub.closeAll(CLOSE_CODES.GOING_AWAY, 'server shutting down: reconnect and resume');
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
  http.addHook('onClose', async () => {
    await feed.stop();
  });

  return { http, view, hub, feed };
}
