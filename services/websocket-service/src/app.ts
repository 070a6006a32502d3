/**
 * Wires the service: HTTP (health, readiness, metrics) with fastify, WebSocket fan-out with raw `ws`
 * on the same port at /ws, and the Kafka change feed. `main.ts` supplies the config and the Kafka
 * client; tests supply their own.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import { WebSocketServer } from 'ws';
import { AUTH_OFF_WARNING } from '@orders-live/auth';
import {
  BEARER_SUBPROTOCOL,
  CLOSE_CODES,
  PROTOCOL_SUBPROTOCOL,
  READINESS_PATH,
  WEBSOCKET_PATH,
  type Freshness,
} from '@orders-live/protocol';
import type { Config } from './config.js';
import { TableSet } from './table-set.js';
import type { Logger } from './logger.js';
import type { TableView } from './table/table-view.js';
import { FlushScheduler } from './edge/flush-scheduler.js';
import { Hub, type HubOptions } from './fanout/hub.js';
import { ChangeFeed } from './ingest/change-feed.js';
import { TransactionFeed } from './ingest/transaction-feed.js';
import { ConnectStatus } from './ingest/connect-status.js';
import { freshnessReport } from './stream/freshness.js';
import { Metrics } from './metrics.js';
import type { WindowRegistry } from './windows/window-registry.js';
import { attachUpgradeGate } from './edge/upgrade-gate.js';
import { ConnectorWatch } from './ingest/connector-watch.js';
import { CATCHING_UP_AFTER_RECORDS, pipelineStatus, readinessAllowOrigin } from './health.js';
import { DegradedState } from './ingest/degraded-state.js';
import type { CheckpointStore } from './table/checkpoint-store.js';
import type { TableStream } from './table-stream.js';

/** A subprotocol naming a version of this protocol, which the service may not speak. */
const OTHER_VERSION = /^orders-live\.v\d{1,3}$/;

export interface AppDeps {
  readonly kafka: Kafka;
  readonly log: Logger;
  /** Epoch milliseconds; Date.now unless a test says otherwise. */
  readonly now?: () => number;
}

export interface App {
  readonly http: FastifyInstance;
  /** Every table served, the first (orders) first. */
  readonly streams: readonly TableStream[];
  /** The first table's view, windows, feed and checkpoint (orders'). */
  readonly view: TableView;
  readonly hub: Hub;
  readonly windows: WindowRegistry;
  readonly feed: ChangeFeed;
  readonly transactionFeed: TransactionFeed;
  readonly metrics: Metrics;
  /** Open gaps in the stream; the hub may listen (onChange) to tell its clients. */
  readonly degraded: DegradedState;
  /** The view's checkpoint on local disk; undefined when CHECKPOINT_DIR is unset. */
  readonly checkpoint: CheckpointStore | undefined;
}

function httpServer(log: Logger): FastifyInstance {
  return Fastify({
    // The cast is what types Fastify's logger as the base one (without it, inference makes it pino's own type).
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: log.child({ module: 'http' }) as FastifyBaseLogger,
    // Health probes arrive every few seconds; request lines would drown the log.
    logController: new LogController({ disableRequestLogging: true }),
  });
}

export function buildApp(config: Config, deps: AppDeps): App {
  const { log } = deps;
  const now = deps.now ?? Date.now;
  const http = httpServer(log);
  const degraded = new DegradedState(config.acceptedGaps);
  const sum = (of: (stream: TableStream) => number) => streams.reduce((total, stream) => total + of(stream), 0);
  // Gauges are read at scrape time, by then hub and streams exist.
  const metrics: Metrics = new Metrics({
    clients: () => hub.clientCount,
    subscriptions: () => hub.subscriptionCount,
    viewRows: () => sum((stream) => stream.view.size),
    consumerLag: () => sum((stream) => stream.feed.lag),
    ringSize: () => sum((stream) => stream.ring.size),
    openGaps: () => degraded.openGaps,
    freshnessLagMs: () => now() - (watermark() ?? Number.NaN),
    receivingEvents: () => receiving()?.events ?? 0,
    flushPasses: () => flushes.stats.passes,
    flushWindowMs: () => flushes.stats.windowMs,
    unsentBytes: () => hub.unsentBytes,
  });
  // Frames leave in passes over all sockets, one write per socket per pass, coalesced under load.
  const flushes = new FlushScheduler();
  const startedAt = now();
  const connectStatus = connectStatusOf(config, log);
  const watermark = () => tables.watermark();
  const receiving = () => tables.receiving();
  const freshness = () =>
    freshnessReport(
      {
        watermark: watermark(),
        startedAt,
        fetchAgeMs: oldestFetch(streams),
        connector: connectStatus?.health,
        transactionTopicExists: transactionFeed.topicExists,
        receiving: receiving(),
        catchingUp: catchingUp(streams),
      },
      now(),
    );
  const hub: Hub = new Hub(
    {
      tables: [],
      metrics,
      log: log.child({ module: 'hub' }),
      now,
      streamStatus: () => degraded.report(),
      freshness,
      flushes,
    },
    hubOptions(config),
  );
  degraded.onChange((report) => hub.streamStatusChanged(report));
  // Every table served, each a TableStream, with the cross-table gate between them (table-set.ts).
  const tables = new TableSet(config, { kafka: deps.kafka, hub, metrics, degraded, log, now });
  const streams = tables.streams;
  const first = streams[0]!;
  const groupPrefix = `${config.kafka.clientId}-${config.serverId}`;
  const transactionFeed: TransactionFeed = new TransactionFeed(
    {
      kafka: deps.kafka,
      metrics,
      log: log.child({ module: 'transaction-feed' }),
      now,
      // Every table's pipeline reads the markers: each counts its own events in END.
      onMarkers: (markers) => tables.onMarkers(markers),
    },
    { topic: config.kafka.transactionTopic, groupPrefix },
  );

  const wss = attachWebSocket(http, config, { hub, metrics, log, now });
  if (!config.auth) log.warn(AUTH_OFF_WARNING);

  const connectorWatch = new ConnectorWatch(
    { kafka: deps.kafka, log: log.child({ module: 'connector-watch' }), now },
    tables.watchedTopics,
  );
  const parts = { tables, streams, hub, transactionFeed, connectorWatch, connectStatus, degraded, metrics, freshness };
  addRoutes(http, config, parts, now);
  addLifecycle(http, parts, wss, log);
  const { view, windows, feed, checkpoint } = first;
  return { http, streams, view, hub, windows, feed, transactionFeed, metrics, degraded, checkpoint };
}

/** What the routes and the lifecycle hooks reach. */
interface Parts {
  readonly streams: readonly TableStream[];
  readonly hub: Hub;
  readonly transactionFeed: TransactionFeed;
  readonly connectorWatch: ConnectorWatch;
  readonly connectStatus: ConnectStatus | undefined;
  readonly degraded: DegradedState;
  readonly metrics: Metrics;
  readonly freshness: () => Freshness;
  readonly tables: TableSet;
}

/** `ws` on the HTTP server's /ws, behind the upgrade gate (Origin, access token), handing sockets to the hub. */
function attachWebSocket(
  http: FastifyInstance,
  config: Config,
  deps: { readonly hub: Hub; readonly metrics: Metrics; readonly log: Logger; readonly now: () => number },
): WebSocketServer {
  const { hub, metrics, log, now } = deps;
  const wss = new WebSocketServer({
    // Upgrades reach ws through the gate, which checks Origin and the access token first.
    noServer: true,
    path: WEBSOCKET_PATH,
    maxPayload: config.maxClientFrameBytes,
    perMessageDeflate: false,
    // The hub keeps its own registry of connections.
    clientTracking: false,
    // The protocol version is chosen here: `orders-live.v2` when asked for. A client of another
    // version, or of none, is still let in, to be told why it is refused (hub.ts): it gets its own
    // `orders-live.v<n>` back (a client that names one fails the handshake without an answer), or
    // `bearer` if it sent only its token — never the token itself.
    handleProtocols: (protocols) => {
      if (protocols.has(PROTOCOL_SUBPROTOCOL)) return PROTOCOL_SUBPROTOCOL;
      const other = [...protocols].find((protocol) => OTHER_VERSION.test(protocol));
      if (other) return other;
      return protocols.has(BEARER_SUBPROTOCOL) ? BEARER_SUBPROTOCOL : false;
    },
  });
  attachUpgradeGate({
    server: http.server,
    wss,
    policy: { auth: config.auth, allowedOrigins: config.allowedOrigins },
    now,
    log: log.child({ module: 'upgrade' }),
    onRefused: (reason) => metrics.upgradesRefused.inc({ reason }),
    accept: (socket, access) => hub.accept(socket, access),
  });
  return wss;
}

/** /healthz, /readyz (ready, the pipeline's status, gaps, freshness) and /metrics. */
function addRoutes(http: FastifyInstance, config: Config, parts: Parts, now: () => number): void {
  const { streams, hub, connectorWatch, degraded, metrics, freshness } = parts;
  const { view, checkpoint } = streams[0]!;
  const all = (of: (feed: ChangeFeed) => boolean) => streams.every((stream) => of(stream.feed));
  http.get('/healthz', async () => ({ status: 'ok' }));
  http.get(READINESS_PATH, async (request, reply) => {
    const allowOrigin = readinessAllowOrigin(request.headers.origin, config.allowedOrigins);
    if (allowOrigin) reply.header('access-control-allow-origin', allowOrigin).header('vary', 'Origin');
    const kafkaReachable = all((feed) => feed.kafkaReachable);
    const caughtUp = all((feed) => feed.caughtUp);
    const body = {
      ready: all((feed) => feed.ready),
      caughtUp,
      kafkaReachable,
      // The first table's (orders'); `tables` has every table's.
      cursor: view.cursor,
      rows: view.size,
      tables: Object.fromEntries(
        streams.map(({ config: table, view: tableView, feed, checkpoint: tableCheckpoint }) => [
          table.name,
          {
            topic: table.topic,
            rows: tableView.size,
            cursor: tableView.cursor,
            caughtUp: feed.caughtUp,
            lag: feed.lag,
            startedFrom: tableCheckpoint?.status.startedFrom ?? 'topic',
          },
        ]),
      ),
      clients: hub.clientCount,
      // Transactions of several tables delivered as one unit, and those that went on without a part that never came.
      crossTable: parts.tables.gate.stats,
      // Which part users are waiting on (health.ts).
      status: pipelineStatus(
        {
          kafkaReachable,
          caughtUp,
          lag: streams.reduce((total, stream) => total + stream.feed.lag, 0),
          connectorAdvancedAt: connectorWatch.advancedAt,
          watchingSince: connectorWatch.watchingSince,
        },
        now(),
        config.connector.silentAfterMs,
      ),
      // null, or { code: 'STREAM_GAP', reason, openGaps, gaps }: serving, but some rows may be stale.
      degraded: degraded.report(),
      // How fresh the clients are: the watermark, and the hop that stopped when it is stale (freshness.ts).
      freshness: freshness(),
      // Where the view started (a checkpoint or the topic), why a checkpoint was discarded, the last one written; null: off.
      checkpoint: checkpoint?.status ?? null,
    };
    return reply.code(body.ready ? 200 : 503).send(body);
  });
  http.get('/metrics', async (_request, reply) => {
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

/** Starts what runs once the server listens; on close, clients are told to resume elsewhere, then Kafka is let go. */
function addLifecycle(http: FastifyInstance, parts: Parts, wss: WebSocketServer, log: Logger): void {
  const { tables, hub, transactionFeed, connectorWatch, connectStatus } = parts;
  http.addHook('onReady', async () => {
    hub.start();
    connectorWatch.start();
    connectStatus?.start();
    tables.start();
    transactionFeed.start().catch((err: unknown) => {
      log.error({ err }, 'transaction feed failed to start');
    });
  });
  http.addHook('preClose', async () => {
    // Every client is told to reconnect — to any replica — and resume from its cursor.
    hub.closeAll(CLOSE_CODES.GOING_AWAY, 'server shutting down: reconnect and resume');
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
  http.addHook('onClose', async () => {
    await connectorWatch.stop();
    connectStatus?.stop();
    await Promise.all([tables.stop(), transactionFeed.stop()]);
  });
}

function hubOptions(config: Config): HubOptions {
  return {
    serverId: config.serverId,
    snapshotChunkRows: config.snapshotChunkRows,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    maxBufferedBytes: config.maxBufferedBytes,
    maxSubscriptionsPerConnection: config.maxSubscriptionsPerConnection,
    resumeHoldTimeoutMs: config.resumeHoldTimeoutMs,
  };
}

/** Kafka Connect's answers about the connector, when the replica knows where Connect is. */
function connectStatusOf(config: Config, log: Logger): ConnectStatus | undefined {
  const { connectUrl, name } = config.connector;
  return connectUrl === undefined
    ? undefined
    : new ConnectStatus({ fetch, log: log.child({ module: 'connect-status' }), now: Date.now }, connectUrl, name);
}

/** How long ago the table read longest ago got an answer from Kafka; undefined while one never did. */
function oldestFetch(streams: readonly TableStream[]): number | undefined {
  let oldest = 0;
  for (const { feed } of streams) {
    if (feed.fetchAgeMs === undefined) return undefined;
    oldest = Math.max(oldest, feed.fetchAgeMs);
  }
  return oldest;
}

/** Records of the tables' topics still to read, while the replica is catching up (as /readyz's lag says); null when live. */
function catchingUp(streams: readonly TableStream[]): number | null {
  const lag = streams.reduce((total, stream) => total + stream.feed.lag, 0);
  return streams.some((stream) => !stream.feed.caughtUp) || lag > CATCHING_UP_AFTER_RECORDS ? lag : null;
}
