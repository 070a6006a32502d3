/**
 * Prometheus metrics of one service process, on its own registry (so tests can build many apps).
 * Gauges read their value when scraped, from the function the app passes in.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

interface GaugeSources {
  readonly clients: () => number;
  readonly subscriptions: () => number;
  readonly viewRows: () => number;
  readonly consumerLag: () => number;
  readonly ringSize: () => number;
  /** Records passed because they do not decode whose rows have not been written since (degraded-state.ts). */
  readonly openGaps: () => number;
  /** ms from the watermark (every commit up to it has reached the clients) to now; NaN until known. */
  readonly freshnessLagMs: () => number;
  /** Events of the transaction still being received (held until whole); 0 when none is. */
  readonly receivingEvents: () => number;
  /** Passes of the flush scheduler so far, and the gap it now keeps between them (flush-scheduler.ts). */
  readonly flushPasses?: () => number;
  readonly flushWindowMs?: () => number;
  /** Bytes written to sockets that clients have not taken yet, over all connections. */
  readonly unsentBytes?: () => number;
}

const TRANSACTIONS_RELEASED_HELP =
  'Transactions applied whole, by how they were known whole: end (END and its events), next (a later one followed), end-missing (no END will come), no-metadata';

/** Commit → sent, in ms: from "as fast as it gets on localhost" to "something is badly wrong". */
const LATENCY_BUCKETS_MS = [2, 5, 10, 15, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000];

export class Metrics {
  readonly registry = new Registry();
  readonly framesSent: Counter;
  readonly bytesSent: Counter;
  readonly slowConsumerCloses: Counter;
  readonly floodCloses: Counter;
  readonly decodeErrors: Counter<'code'>;
  readonly recordsApplied: Counter;
  readonly duplicatesDropped: Counter;
  readonly subscribes: Counter<'outcome'>;
  readonly upgradesRefused: Counter<'reason'>;
  readonly commitToSentMs: Histogram;
  readonly transactionsReleased: Counter<'by'>;
  readonly crossTableTransactions: Counter<'outcome'>;

  constructor(sources: GaugeSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    gauge('orders_ws_clients', 'Open WebSocket connections', sources.clients);
    if (sources.flushPasses)
      gauge(
        'orders_ws_flush_passes',
        'Passes that wrote the queued frames of every connection (one write per socket each)',
        sources.flushPasses,
      );
    if (sources.flushWindowMs)
      gauge(
        'orders_ws_flush_window_ms',
        'Gap now kept between flush passes: 0 when quiet, up to 20 ms under sustained fan-out',
        sources.flushWindowMs,
      );
    if (sources.unsentBytes)
      gauge('orders_ws_unsent_bytes', 'Bytes handed to sockets that clients have not read yet, over all connections', sources.unsentBytes);
    gauge('orders_ws_subscriptions', 'Live subscriptions', sources.subscriptions);
    gauge('orders_view_rows', 'Rows in the in-memory view', sources.viewRows);
    gauge('orders_consumer_lag_records', 'Records in the topic not yet applied', sources.consumerLag);
    gauge('orders_ring_changes', 'Recent changes kept for resuming clients', sources.ringSize);
    gauge('orders_stream_open_gaps', 'Records that did not decode and whose rows have not been written since', sources.openGaps);
    gauge('orders_stream_degraded', '1 while the stream has an open gap (readyz: degraded.code STREAM_GAP), else 0', () =>
      sources.openGaps() > 0 ? 1 : 0,
    );
    gauge(
      'orders_freshness_lag_ms',
      'Now minus the watermark: every commit before it has reached the clients (NaN until known)',
      sources.freshnessLagMs,
    );
    gauge(
      'orders_transaction_receiving_events',
      'Events of the transaction being received, held until it is whole',
      sources.receivingEvents,
    );
    const counter = <Label extends string = string>(name: string, help: string, labelNames: readonly Label[] = []) =>
      new Counter<Label>({ name, help, labelNames, registers });
    this.framesSent = counter('orders_ws_frames_sent_total', 'Frames written to sockets');
    this.bytesSent = counter('orders_ws_bytes_sent_total', 'Frame payload bytes written to sockets');
    this.slowConsumerCloses = counter('orders_ws_slow_consumer_closes_total', 'Connections closed for passing the send-buffer bound');
    this.floodCloses = counter('orders_ws_flood_closes_total', 'Connections closed for sending frames past their budget');
    this.decodeErrors = counter(
      'orders_decode_errors_total',
      'Kafka records that do not decode, by decoder code (each opens a gap: orders_stream_open_gaps)',
      ['code'],
    );
    this.recordsApplied = counter('orders_records_applied_total', 'Kafka records decoded and applied to the view');
    this.duplicatesDropped = counter('orders_duplicates_dropped_total', 'Debezium replays recognised by LSN and not applied');
    this.transactionsReleased = counter('orders_transactions_released_total', TRANSACTIONS_RELEASED_HELP, ['by']);
    this.crossTableTransactions = counter(
      'orders_cross_table_transactions_total',
      'Transactions of several tables delivered as one unit (joined), or whose parts went on without one that never came (partial)',
      ['outcome'],
    );
    this.subscribes = counter('orders_ws_subscribes_total', 'Subscriptions by how they started', ['outcome']);
    this.upgradesRefused = counter(
      'orders_ws_upgrades_refused_total',
      'WebSocket upgrades refused before the socket opened: reason is origin, or why the access token was refused',
      ['reason'],
    );
    this.commitToSentMs = new Histogram({
      name: 'orders_commit_to_sent_ms',
      help: 'Postgres commit → frames written to sockets, per change, in milliseconds',
      buckets: LATENCY_BUCKETS_MS,
      registers,
    });
  }
}
