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
import type { Logger } from './logger.js';
import { TableView } from './table/table-view.js';
import { ChangeRing } from './stream/ring.js';
import { FlushScheduler } from './edge/flush-scheduler.js';
import { Hub, type HubOptions } from './fanout/hub.js';
import { ChangeFeed } from './ingest/change-feed.js';
import { TransactionFeed } from './ingest/transaction-feed.js';
import { ConnectStatus } from './ingest/connect-status.js';
import { freshnessReport } from './stream/freshness.js';
import { Metrics } from './metrics.js';
import { WindowRegistry } from './windows/window-registry.js';
import { createPipeline, type Pipeline } from './pipeline.js';
import { attachUpgradeGate } from './edge/upgrade-gate.js';
import { ConnectorWatch } from './ingest/connector-watch.js';
import { CATCHING_UP_AFTER_RECORDS, pipelineStatus, readinessAllowOrigin } from './health.js';
import { DegradedState } from './ingest/degraded-state.js';
import { CheckpointStore } from './table/checkpoint-store.js';
import type { TopicFacts } from './table/checkpoint.js';

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
  const view = new TableView();
  const degraded = new DegradedState(config.acceptedGaps);
  const ring = new ChangeRing(config.ringCapacity);
  const windows = new WindowRegistry(() => view.unorderedRows());
  // Gauges are read at scrape time, by then hub and feed exist.
  const metrics: Metrics = new Metrics({
    clients: () => hub.clientCount,
    subscriptions: () => hub.subscriptionCount,
    viewRows: () => view.size,
    consumerLag: () => feed.lag,
    ringSize: () => ring.size,
    openGaps: () => degraded.openGaps,
    freshnessLagMs: () => now() - (pipeline.watermark() ?? Number.NaN),
    receivingEvents: () => pipeline.receiving()?.events ?? 0,
    flushPasses: () => flushes.stats.passes,
    flushWindowMs: () => flushes.stats.windowMs,
    unsentBytes: () => hub.unsentBytes,
  });
  // Frames leave in passes over all sockets, one write per socket per pass, coalesced under load.
  const flushes = new FlushScheduler();
  const startedAt = now();
  const connectStatus = connectStatusOf(config, log);
  const freshness = () =>
    freshnessReport(
      {
        watermark: pipeline.watermark(),
        startedAt,
        fetchAgeMs: feed.fetchAgeMs,
        connector: connectStatus?.health,
        transactionTopicExists: transactionFeed.topicExists,
        receiving: pipeline.receiving(),
        catchingUp: catchingUp(feed),
      },
      now(),
    );
  const hub: Hub = new Hub(
    {
      view,
      ring,
      windows,
      metrics,
      log: log.child({ module: 'hub' }),
      now,
      streamStatus: () => degraded.report(),
      // A page opening on a replica that is still reading its topic waits for the whole view.
      caughtUp: () => feed.caughtUp,
      freshness,
      flushes,
    },
    hubOptions(config),
  );
  // Clients hear of new columns (and get their rows afresh) and of holes in the stream as they happen.
  view.catalog.onChange(() => hub.columnsChanged());
  degraded.onChange((report) => hub.streamStatusChanged(report));
  const pipeline = createPipeline({
    view,
    ring,
    windows,
    hub,
    metrics,
    degraded,
    log: log.child({ module: 'pipeline' }),
    now,
    live: () => feed.caughtUp,
    // Debezium counts a table's events in END under "<schema>.<table>": the topic's name without its prefix.
    collection: config.kafka.topic.slice(config.kafka.topic.indexOf('.') + 1),
    // A page that showed "receiving a transaction" hears at once that it is whole.
    onLongWait: () => hub.freshnessChanged(),
  });
  const groupPrefix = `${config.kafka.clientId}-${config.serverId}`;
  const { feed, checkpoint } = tableFeedOf(config, { kafka: deps.kafka, view, ring, pipeline, hub, degraded, log, now }, groupPrefix);
  const transactionFeed: TransactionFeed = new TransactionFeed(
    {
      kafka: deps.kafka,
      metrics,
      log: log.child({ module: 'transaction-feed' }),
      now,
      onMarkers: (markers) => pipeline.onMarkers(markers),
    },
    { topic: config.kafka.transactionTopic, groupPrefix },
  );

  const wss = attachWebSocket(http, config, { hub, metrics, log, now });
  if (!config.auth) log.warn(AUTH_OFF_WARNING);

  const connectorWatch = new ConnectorWatch({ kafka: deps.kafka, log: log.child({ module: 'connector-watch' }), now }, [
    config.kafka.topic,
    config.connector.heartbeatTopic,
  ]);
  const parts = { view, hub, feed, transactionFeed, pipeline, connectorWatch, connectStatus, degraded, metrics, freshness, checkpoint };
  addRoutes(http, config, parts, now);
  addLifecycle(http, parts, wss, log);
  return { http, view, hub, windows, feed, transactionFeed, metrics, degraded, checkpoint };
}

/** What the routes and the lifecycle hooks reach. */
interface Parts {
  readonly view: TableView;
  readonly hub: Hub;
  readonly feed: ChangeFeed;
  readonly transactionFeed: TransactionFeed;
  readonly pipeline: Pipeline;
  readonly connectorWatch: ConnectorWatch;
  readonly connectStatus: ConnectStatus | undefined;
  readonly degraded: DegradedState;
  readonly metrics: Metrics;
  readonly freshness: () => Freshness;
  readonly checkpoint: CheckpointStore | undefined;
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
  const { view, hub, feed, connectorWatch, degraded, metrics, freshness } = parts;
  http.get('/healthz', async () => ({ status: 'ok' }));
  http.get(READINESS_PATH, async (request, reply) => {
    const allowOrigin = readinessAllowOrigin(request.headers.origin, config.allowedOrigins);
    if (allowOrigin) reply.header('access-control-allow-origin', allowOrigin).header('vary', 'Origin');
    const body = {
      ready: feed.ready,
      caughtUp: feed.caughtUp,
      kafkaReachable: feed.kafkaReachable,
      cursor: view.cursor,
      rows: view.size,
      clients: hub.clientCount,
      // Which part users are waiting on (health.ts).
      status: pipelineStatus(
        {
          kafkaReachable: feed.kafkaReachable,
          caughtUp: feed.caughtUp,
          lag: feed.lag,
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
      checkpoint: parts.checkpoint?.status ?? null,
    };
    return reply.code(body.ready ? 200 : 503).send(body);
  });
  http.get('/metrics', async (_request, reply) => {
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

/** Starts what runs once the server listens; on close, clients are told to resume elsewhere, then Kafka is let go. */
function addLifecycle(http: FastifyInstance, parts: Parts, wss: WebSocketServer, log: Logger): void {
  const { hub, feed, transactionFeed, pipeline, connectorWatch, connectStatus, checkpoint } = parts;
  http.addHook('onReady', async () => {
    hub.start();
    checkpoint?.start();
    connectorWatch.start();
    connectStatus?.start();
    pipeline.start();
    // Not awaited: the HTTP server (and /readyz = 503) is up while the feeds wait for Kafka.
    feed.start().catch((err: unknown) => {
      log.error({ err }, 'change feed failed to start');
    });
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
    await Promise.all([feed.stop(), transactionFeed.stop()]);
    // After the feeds stop, nothing new arrives; the pipeline still releases what it holds meanwhile.
    await checkpoint?.close();
    pipeline.stop();
  });
}

/**
 * The table's change feed, and the view's checkpoint on local disk when CHECKPOINT_DIR is set
 * (checkpoint-store.ts): the feed's first start asks the store where to carry on.
 */
function tableFeedOf(
  config: Config,
  deps: Pick<Parts, 'view' | 'pipeline' | 'hub' | 'degraded'> & {
    readonly kafka: Kafka;
    readonly ring: ChangeRing;
    readonly log: Logger;
    readonly now: () => number;
  },
  groupPrefix: string,
): { feed: ChangeFeed; checkpoint: CheckpointStore | undefined } {
  const { view, ring, pipeline, hub, degraded, log, now } = deps;
  // The store reads the feed's facts and positions only once the feed has started.
  const checkpoint =
    config.checkpoint &&
    new CheckpointStore(
      {
        view,
        ring,
        feed: {
          get facts() {
            return feed.facts;
          },
          positions: () => feed.positions(),
        },
        atBoundary: () => pipeline.idle(),
        degraded,
        caughtUp: () => feed.caughtUp,
        log: log.child({ module: 'checkpoint' }),
        now,
      },
      { ...config.checkpoint, topic: config.kafka.topic },
    );
  const feed: ChangeFeed = new ChangeFeed(
    {
      kafka: deps.kafka,
      log: log.child({ module: 'change-feed' }),
      now,
      onFetch: (fetch, atEnd) => pipeline.onFetch(fetch, atEnd),
      onCaughtUp: () => hub.caughtUp(),
    },
    { topic: config.kafka.topic, groupPrefix, ...(checkpoint ? { resumeFrom: (facts: TopicFacts) => checkpoint.load(facts) } : {}) },
  );
  return { feed, checkpoint };
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

/** Records of the table's topic still to read, while the replica is catching up (as /readyz's lag says); null when live. */
function catchingUp(feed: ChangeFeed): number | null {
  return !feed.caughtUp || feed.lag > CATCHING_UP_AFTER_RECORDS ? feed.lag : null;
}
