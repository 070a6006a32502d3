/**
 * The window benchmark: a table of N rows; C clients (the typed client, as a page uses it), each on
 * one of W distinct windows (different sorts, filters and positions) while changes are committed at
 * a steady rate. Measures, per client, subscribe → window complete (ms) and the bytes it took;
 * change → diff at the client (commit time → the diff applied, ms); the service's CPU under the load;
 * and one large transaction (T rows in one UPDATE): commit → the whole transaction applied by a
 * table-subscription client, and by every windowed client it altered.
 *
 * A sample of the clients (--typed, one per window by default) are typed clients in this process:
 * they parse every frame, as pages do, and time subscribe → window and commit → diff. The rest are
 * raw clients in the fleet's process, which count the diffs they receive and time their subscribe
 * without parsing: a thousand pages parsing every diff on the one core left to the stack would
 * measure that core, not the service.
 */
import type pg from 'pg';
import WebSocket from 'ws';
import { OrdersLiveClient, defaultDeps } from '@orders-live/client';
import type { RowFilter, WindowQuery } from '@orders-live/protocol';
import { ensureStack, waitFor, type Cleanup, type StackEndpoints } from '@orders-live/testkit';
import { TopicTap } from '../harness/topic-tap.js';
import { summarizeProfile, type ProfileSummary } from '../harness/profile-summary.js';
import { cpuProfileDuring } from '../harness/inspector.js';
import { flag, num, type Options } from '@orders-live/cli-kit';
import { insertBenchRowsInChunks, markRunRows, openBenchPool } from '../harness/bench-rows.js';
import { cpuShare, sampleProcess, type ProcSample } from '../harness/proc-stats.js';
import { RESULT_OPTIONS, machine, type Machine } from '../harness/results.js';
import { startServiceHoldingTable, type RunningService } from '../harness/service-process.js';
import { Fleet } from '../harness/fleet.js';
import { pinService, type Pinning } from '../harness/cpu-pinning.js';
import { summarize, type Summary } from '../harness/stats.js';

export const WINDOW_OPTIONS = {
  rows: num(100_000, 'rows in the table (the issue’s figure is 1,000,000: --rows 1000000)', 1),
  clients: num(1_000, 'windowed clients in all (the typed sample and raw clients in the fleet process)', 1),
  typed: num(50, 'of them, typed clients in this process that parse every frame and time it (the sample)', 1),
  windows: num(50, 'distinct windows the clients are spread over', 1),
  limit: num(100, 'rows per window', 1),
  rate: num(1_000, 'changes committed per second during the load (single-row updates)', 1),
  duration: num(20, 'seconds of load', 1),
  txRows: num(20_000, 'rows of the one large transaction measured after the load (0: skip)', 0),
  connections: num(8, 'Postgres connections committing the load', 1),
  noPin: flag('let the service share the cores (by default it has a core of its own: taskset)'),
  profile: flag('profile the service over the load and the large transaction (through its inspector, loopback) and print the summary'),
  ...RESULT_OPTIONS,
};
export type WindowOptions = Options<typeof WINDOW_OPTIONS>;

/** Time for the service to read the whole table from the topic, generously. */
const CATCH_UP_TIMEOUT_MS = 600_000;
/** A client that has no window this long after subscribing counts as failed. */
const SUBSCRIBE_TIMEOUT_MS = 120_000;
/** The large transaction must arrive; far longer than the target (2 s), so a slow one is measured, not failed. */
const BIG_TRANSACTION_TIMEOUT_MS = 180_000;

export interface WindowResult {
  readonly benchmark: 'window';
  readonly startedAt: string;
  readonly machine: Machine;
  readonly options: Omit<WindowOptions, 'outDir' | 'json'>;
  readonly targets: {
    readonly subscribeMs: number;
    readonly windowBytes: number;
    readonly diffP99Ms: number;
    readonly bigTransactionMs: number;
  };
  readonly serviceReadyMs: number;
  /** Where the service ran: a core of its own, or shared (null). */
  readonly pinning: Pinning | null;
  readonly subscribe: { readonly ms: Summary; readonly bytes: Summary; readonly failed: number };
  readonly diffs: {
    readonly latencyMs: Summary;
    readonly applied: number;
    readonly committed: number;
    /** Diff frames the fleet's raw clients received during the load, and per second. */
    readonly counted: number;
    readonly countedPerSecond: number;
  };
  /** Service CPU during the load, in cores (1 = one core busy all the time). */
  readonly serviceCpuCores: number;
  readonly bigTransaction: {
    readonly rows: number;
    /** Commit → the transaction's last record in Kafka (a consumer in the benchmark): Debezium's and Connect's share. */
    readonly kafkaMs: number | null;
    readonly tableClientMs: number | null;
    readonly windowClientsMs: Summary;
  } | null;
  readonly invalidFrames: number;
  readonly profile: ProfileSummary | null;
}

/** W distinct windows: sorts × directions × filters × positions, deterministic. */
export function windowQueries(count: number, limit: number, rows: number): { filter: RowFilter | undefined; window: WindowQuery }[] {
  const columns = ['amount', 'quantity', 'updated_at', 'id', 'customer_name', 'product_name', 'created_at'] as const;
  const filters: (RowFilter | undefined)[] = [
    undefined,
    { status: { in: ['pending', 'shipped'] } },
    { product_name: { prefix: 'D' } },
    { quantity: { in: [1, 2, 3] } },
  ];
  const out: { filter: RowFilter | undefined; window: WindowQuery }[] = [];
  for (let i = 0; i < count; i++) {
    const column = columns[i % columns.length]!;
    const direction = Math.floor(i / columns.length) % 2 === 0 ? 'desc' : 'asc';
    const filter = filters[Math.floor(i / (columns.length * 2)) % filters.length];
    // Every third window is deep in the table, as a scrolled page is.
    const offset = i % 3 === 2 ? Math.floor((((i * 7919) % 100) / 100) * Math.max(0, rows - limit)) : 0;
    out.push({ filter, window: { orderBy: { column, direction }, limit, ...(offset > 0 ? { offset } : {}) } });
  }
  return out;
}

/** The windowed clients and what they measured: counters the clients' listeners keep adding to. */
interface WindowClients {
  readonly clients: OrdersLiveClient[];
  readonly subscribeMs: number[];
  readonly subscribeBytes: number[];
  readonly diffLatency: number[];
  invalidFrames: number;
  failed: number;
  /** Diffs count only while the load runs (not the windows' first frames, nor the large transaction). */
  measuring: boolean;
}

export async function runWindow(options: WindowOptions, cleanup: Cleanup, log: (line: string) => void): Promise<WindowResult> {
  const startedAt = new Date().toISOString();
  const stack = await ensureStack();
  const db = await openBenchPool(stack, cleanup, log, options.connections);
  const marker = markRunRows(db, cleanup, log);

  log(`inserting ${options.rows} rows…`);
  const ids = await insertBenchRowsInChunks(db, marker, options.rows);

  log('starting the websocket-service…');
  const { service, tableRows } = await startServiceHoldingTable(stack, db, cleanup, CATCH_UP_TIMEOUT_MS, { inspect: options.profile });
  log(`  ready in ${Math.round(service.readyMs)} ms; ${tableRows} rows in the view`);
  // The clients run in this process: it moves to the other cores with the stack.
  const fleet = Fleet.start();
  cleanup.add('stop the client fleet', () => fleet.close());
  const pinning = options.noPin ? undefined : await pinService(service.pid, [fleet.pid], cleanup);
  log(pinning ? `  the service alone on core ${pinning.serviceCpu}; the stack and the clients on ${pinning.othersCpus}` : '  not pinned');

  const measured = await subscribeWindows(options, service, fleet, cleanup, log);
  await fleet.reset();
  // The load and the large transaction, profiled (with --profile) from here: not the start-up.
  const phases = async () => {
    const load = await commitLoad(options, db, ids, service.pid, measured, log);
    const counted = (await fleet.stats()).deliveries;
    const bigTransaction =
      options.txRows > 0 ? await measureBigTransaction(options, { db, stack, marker, ids, wsUrl: service.wsUrl }, measured, log) : null;
    return { load, counted, bigTransaction };
  };
  const profiled =
    service.inspectorPort === undefined ? { result: await phases(), profile: null } : await cpuProfileDuring(service.inspectorPort, phases);
  const { load, counted, bigTransaction } = profiled.result;
  const profile = profiled.profile ? summarizeProfile(profiled.profile) : null;

  return {
    benchmark: 'window',
    startedAt,
    machine: machine(),
    options: {
      rows: options.rows,
      clients: options.clients,
      typed: options.typed,
      windows: options.windows,
      limit: options.limit,
      rate: options.rate,
      duration: options.duration,
      txRows: options.txRows,
      connections: options.connections,
      noPin: options.noPin,
      profile: options.profile,
    },
    targets: { subscribeMs: 100, windowBytes: 100_000, diffP99Ms: 50, bigTransactionMs: 2_000 },
    serviceReadyMs: Math.round(service.readyMs),
    pinning: pinning ?? null,
    subscribe: { ms: summarize(measured.subscribeMs), bytes: summarize(measured.subscribeBytes), failed: measured.failed },
    diffs: {
      latencyMs: summarize(measured.diffLatency),
      applied: measured.diffLatency.length,
      committed: load.committed,
      counted,
      countedPerSecond: Math.round(counted / options.duration),
    },
    serviceCpuCores: cpuShare(load.before, load.after),
    bigTransaction,
    invalidFrames: measured.invalidFrames,
    profile,
  };
}

/**
 * Subscribes the clients, spread over the windows: the typed sample here, each timed (and its bytes
 * counted) until its window is complete, and the rest in the fleet (timed from open to window).
 */
async function subscribeWindows(
  options: WindowOptions,
  service: RunningService,
  fleet: Fleet,
  cleanup: Cleanup,
  log: (line: string) => void,
): Promise<WindowClients> {
  const queries = windowQueries(options.windows, options.limit, options.rows);
  const measured: WindowClients = {
    clients: [],
    subscribeMs: [],
    subscribeBytes: [],
    diffLatency: [],
    invalidFrames: 0,
    failed: 0,
    measuring: false,
  };
  cleanup.add('close the clients', () => measured.clients.forEach((client) => client.close()));
  const typed = Math.min(options.typed, options.clients);
  const raw = options.clients - typed;

  log(`subscribing ${options.clients} clients to ${queries.length} windows (${typed} typed, ${raw} raw in the fleet)…`);
  const rawDone = fleet.connect('127.0.0.1', service.port, 'orders', raw, {
    subscribes: queries.map(({ filter, window }, i) => ({
      type: 'subscribe',
      id: `w${i}`,
      table: 'orders',
      window,
      ...(filter ? { filter } : {}),
    })),
  });
  await Promise.all(Array.from({ length: typed }, (_, i) => subscribeTyped(queries[i % queries.length]!, service.wsUrl, measured)));
  const connected = raw > 0 ? await rawDone : undefined;
  if (connected) {
    measured.subscribeMs.push(...connected.readyMs);
    measured.failed += connected.failed;
  }
  log(`  ${measured.subscribeMs.length} windows complete, ${measured.failed} failed`);
  return measured;
}

/** One typed client on one window, timed and its bytes counted until its window is complete; then its diffs timed. */
function subscribeTyped(
  query: { filter: RowFilter | undefined; window: WindowQuery },
  wsUrl: string,
  measured: WindowClients,
): Promise<void> {
  const { filter, window } = query;
  let bytes = 0;
  let complete = false;
  const client = new OrdersLiveClient(
    { url: wsUrl, window, ...(filter ? { filter } : {}) },
    defaultDeps((url, protocols) => {
      const socket = new WebSocket(url, protocols);
      socket.on('message', (data: Buffer) => {
        if (!complete) bytes += data.length;
      });
      return socket;
    }),
  );
  measured.clients.push(client);
  const started = performance.now();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      measured.failed += 1;
      resolve();
    }, SUBSCRIBE_TIMEOUT_MS);
    client.on('window', (state) => {
      if (!complete) {
        complete = true;
        measured.subscribeMs.push(performance.now() - started);
        measured.subscribeBytes.push(bytes);
        clearTimeout(timer);
        resolve();
        return;
      }
      if (state.commitTime !== undefined && measured.measuring) measured.diffLatency.push(Date.now() - state.commitTime);
    });
    client.on('invalid-frame', () => {
      measured.invalidFrames += 1;
    });
    client.connect();
  });
}

/** The load: single-row updates at the rate, each moving quantity and amount (and updated_at); the service's CPU sampled around it. */
async function commitLoad(
  options: WindowOptions,
  db: pg.Pool,
  ids: readonly number[],
  servicePid: number,
  measured: WindowClients,
  log: (line: string) => void,
): Promise<{ committed: number; before: ProcSample; after: ProcSample }> {
  measured.measuring = true;
  let committed = 0;
  const before = sampleProcess(servicePid);
  const endAt = Date.now() + options.duration * 1_000;
  const intervalMs = 1_000 / options.rate;
  let next = Date.now();
  const inFlight = new Set<Promise<unknown>>();
  while (Date.now() < endAt) {
    while (next <= Date.now() && inFlight.size < options.connections * 4) {
      const id = ids[Math.floor(Math.random() * ids.length)]!;
      const p = db.query('UPDATE orders SET quantity = quantity % 9 + 1, amount = amount + 0.01 WHERE id = $1', [id]).then(() => {
        committed += 1;
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      next += intervalMs;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  const after = sampleProcess(servicePid);
  measured.measuring = false;
  log(`  ${committed} changes committed in ${options.duration} s; ${measured.diffLatency.length} diffs applied`);
  return { committed, before, after };
}

/** One large transaction: commit → its last record in Kafka, → all of it at a table-subscription client, and → each windowed client it altered. */
async function measureBigTransaction(
  options: WindowOptions,
  run: { db: pg.Pool; stack: StackEndpoints; marker: string; ids: readonly number[]; wsUrl: string },
  measured: WindowClients,
  log: (line: string) => void,
): Promise<NonNullable<WindowResult['bigTransaction']>> {
  const { db, marker, ids, wsUrl } = run;
  const { clients } = measured;
  const txIds = ids.slice(0, Math.min(options.txRows, ids.length));
  const table = new OrdersLiveClient(
    { url: wsUrl, filter: { customer_name: { eq: marker } } },
    defaultDeps((url, protocols) => new WebSocket(url, protocols)),
  );
  clients.push(table);
  table.connect();
  await waitFor('the table client', () => table.state.name === 'live', SUBSCRIBE_TIMEOUT_MS);
  const tap = new TopicTap(run.stack.kafkaBrokers, run.stack.topic);
  await tap.start();
  let seen = 0;
  let doneAt: number | undefined;
  const windowDone: number[] = [];
  let committedAt = 0;
  let inKafka = 0;
  let inKafkaAt: number | undefined;
  const untap = tap.onRecord((record) => {
    if (committedAt === 0 || record.commitUs < (committedAt - 1_000) * 1_000) return;
    inKafka += 1;
    if (inKafka >= txIds.length && inKafkaAt === undefined) inKafkaAt = record.recordMs;
  });
  table.on('transaction', (tx) => {
    seen += tx.changes.length;
    if (seen >= txIds.length && doneAt === undefined) doneAt = Date.now();
  });
  for (const client of clients) {
    if (client === table) continue;
    client.on('window', (state) => {
      if (committedAt > 0 && state.commitTime !== undefined && state.commitTime >= committedAt - 1_000) windowDone.push(Date.now());
    });
  }
  log(`one transaction of ${txIds.length} rows…`);
  committedAt = Date.now();
  await db.query('UPDATE orders SET quantity = quantity % 9 + 1 WHERE id = ANY($1::bigint[])', [txIds]);
  await waitFor('the large transaction at the table client', () => doneAt !== undefined, BIG_TRANSACTION_TIMEOUT_MS).catch(() => undefined);
  untap();
  await tap.stop();
  const bigTransaction = {
    rows: txIds.length,
    kafkaMs: inKafkaAt === undefined ? null : inKafkaAt - committedAt,
    tableClientMs: doneAt === undefined ? null : doneAt - committedAt,
    windowClientsMs: summarize(windowDone.map((at) => at - committedAt)),
  };
  log(
    `  its last record in Kafka after ${bigTransaction.kafkaMs ?? 'never'} ms; the table client had it all after ${bigTransaction.tableClientMs ?? 'never'} ms`,
  );
  return bigTransaction;
}
