/**
 * One chaos run: two websocket-service replicas, a writer committing all the time, clients (some
 * filtered) that disconnect and reconnect at random — sometimes to the other replica — while the
 * fault schedule kills and restarts the replicas, Connect, Kafka and Postgres. At the end every
 * client must hold exactly the database's rows (for its filter) and must have applied every change
 * after its snapshot once, in order (checker.ts); every windowed client must end on the window the
 * database gives, having never shown a row twice or a state older than the one before (window-checker.ts).
 * The writer commits orders and their order_lines in the same transactions; some clients follow
 * order_lines, and the verdict is kept per table.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import {
  compareCursors,
  columnLookup,
  encodeKey,
  matchesFilter,
  rowIdFunction,
  type LiveRow,
  type RowFilter,
  type SubscriptionFilter,
  type WindowQuery,
} from '@orders-live/protocol';
import {
  between,
  pick,
  recordingClient,
  restartablePort,
  rowDifferences,
  seededRandom,
  selectOrders,
  stackEndpoints,
  superuserPool,
  waitFor,
  type Random,
  type RecordingClient,
  type StackEndpoints,
} from '@orders-live/testkit';
import { insertOrders } from '@orders-live/testkit/rows';
import { checkChanges, emptyVerdict, type ObservedChange, type Verdict } from './checker.js';
import { ORDERS_CHECKED, checkWindowStates, expectedWindow, type CheckedTable, type WindowObservation } from './window-checker.js';
import { Faults, type Replica } from './faults.js';
import { faultSchedule, type Fault } from './schedule.js';
import { ChaosWriter } from './writer.js';
import { PROBE_INTERVAL_MS, serviceProbe, type Probe } from './probes.js';
import { RecoveryLedger } from './recovery.js';
import type { ChaosOptions, ChaosReport, ChaosTable, TableFigures } from './report.js';

/** Most of the clients see every row; the rest watch a status filter, so rows enter and leave. */
const FILTERS: readonly (RowFilter | undefined)[] = [
  undefined,
  undefined,
  { status: { in: ['pending', 'shipped'] } },
  { status: { eq: 'delivered' } },
];
/**
 * Clients of order_lines, besides the orders clients: one sees every line, one only lines whose
 * quantity an update took to 2 or more (lines are inserted at 1), so lines enter its view.
 */
const LINE_FILTERS: readonly (SubscriptionFilter | undefined)[] = [undefined, { quantity: { gte: 2 } }];
/**
 * Windowed clients, besides the table clients: a moving top list, a filtered page, a page further in,
 * and on order_lines a top list whose ties (many lines share a quantity) break on the composite key.
 */
const WINDOWS: readonly { readonly table: ChaosTable; readonly filter: RowFilter | undefined; readonly window: WindowQuery }[] = [
  { table: 'orders', filter: undefined, window: { orderBy: { column: 'quantity', direction: 'desc' }, limit: 10 } },
  {
    table: 'orders',
    filter: { status: { in: ['pending', 'shipped'] } },
    window: { orderBy: { column: 'id', direction: 'desc' }, limit: 25 },
  },
  { table: 'orders', filter: undefined, window: { orderBy: { column: 'amount', direction: 'asc' }, limit: 10, offset: 5 } },
  { table: 'order_lines', filter: undefined, window: { orderBy: { column: 'quantity', direction: 'desc' }, limit: 15 } },
];
/** A client drops its connection every few seconds… */
const DISCONNECT_EVERY_MS: readonly [number, number] = [1_500, 6_000];
/** …for up to this long. */
const OFFLINE_MS: readonly [number, number] = [100, 2_500];
/** How often the run looks for components that died on their own (compose's restart policy). */
const SUPERVISE_EVERY_MS = 2_000;
/** After the last fault, how long everyone may take to catch up: a bound for a failure report, not a wait (the run goes on as soon as they have). */
const SETTLE_TIMEOUT_MS = 120_000;

interface Watched {
  readonly table: ChaosTable;
  readonly recorder: RecordingClient;
  readonly filter: RowFilter | SubscriptionFilter | undefined;
  readonly changes: ObservedChange[];
  /** For a windowed client: its query and every state it showed. */
  readonly window?: { readonly query: WindowQuery; readonly states: WindowObservation[] };
}

type ReplicaName = 'ws-a' | 'ws-b';

/** What one run's phases share: the system under test, the clients watched, and where the run is. */
interface ChaosRun {
  readonly options: ChaosOptions;
  readonly log: (line: string) => void;
  readonly random: Random;
  readonly stack: StackEndpoints;
  readonly db: pg.Pool;
  /** The customer name of every row this run writes. */
  readonly tag: string;
  readonly replicas: Record<ReplicaName, Replica>;
  readonly faults: Faults;
  readonly writer: ChaosWriter;
  readonly watched: Watched[];
  readonly timers: NodeJS.Timeout[];
  readonly ledger: RecoveryLedger;
  /** Probes of restarted components run until every client has settled (or the run fails). */
  readonly probing: Promise<void>[];
  /** Replicas killed and not restarted yet (see route). */
  readonly replicaDown: Set<ReplicaName>;
  /** Recovery is still measured: false once every client has settled. */
  measuring: boolean;
  /** Clients still drop at random: false once the faults are over. */
  running: boolean;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const run = await setUpRun(options);
  const { writer, faults, watched, ledger } = run;
  try {
    await startReplicasAndClients(run);
    dropClientsAtRandom(run);
    const started = await injectFaults(run);
    const settledMs = await settleOnFences(run, started);
    const { verdicts, windows } = await checkClients(run);
    // Their lines go with them (ON DELETE CASCADE).
    await run.db.query('DELETE FROM orders WHERE customer_name = $1', [run.tag]);
    const figures = (table: ChaosTable, committedChanges: number): TableFigures => ({
      clients: watched.filter((w) => w.table === table && !w.window).length,
      committedChanges,
      delivered: watched.filter((w) => w.table === table).reduce((sum, w) => sum + w.changes.length, 0),
      lost: verdicts[table].lost,
      duplicated: verdicts[table].duplicated,
      outOfOrder: verdicts[table].outOfOrder,
    });
    const tables = {
      orders: figures('orders', writer.stats.committedChanges),
      order_lines: figures('order_lines', writer.stats.committedLineChanges),
    };
    const all = Object.values(tables);
    return {
      seed: options.seed,
      durationMs: options.durationMs,
      ...writer.stats,
      delivered: tables.orders.delivered,
      windowStates: watched.reduce((sum, w) => sum + (w.window?.states.length ?? 0), 0),
      lost: all.reduce((sum, t) => sum + t.lost, 0),
      duplicated: all.reduce((sum, t) => sum + t.duplicated, 0),
      outOfOrder: all.reduce((sum, t) => sum + t.outOfOrder, 0),
      tables,
      resets: watched.reduce((sum, w) => sum + w.recorder.client.stats.resets, 0),
      resumes: watched.reduce((sum, w) => sum + w.recorder.client.stats.resumes, 0),
      reconnects: watched.reduce((sum, w) => sum + w.recorder.client.stats.reconnects, 0),
      kills: Object.fromEntries(faults.kills),
      unplannedRestarts: faults.unplannedRestarts,
      clients: watched.length,
      windowClients: windows.length,
      recovery: ledger.report(started),
      settledMs,
      problems: [...verdicts.orders.problems, ...verdicts.order_lines.problems.map((p) => `order_lines: ${p}`)],
    };
  } finally {
    await tearDown(run);
  }
}

/** Set-up: the database pool, two replicas' ports, the fault injector, the writer, the ledger. */
async function setUpRun(options: ChaosOptions): Promise<ChaosRun> {
  const log = options.log ?? (() => undefined);
  const random = seededRandom(options.seed);
  const stack = stackEndpoints();
  const db = superuserPool(stack);
  const tag = `chaos-${options.seed}-${randomUUID().slice(0, 8)}`;
  const replicas: Record<ReplicaName, Replica> = {
    'ws-a': { name: 'ws-a', process: undefined, port: await restartablePort() },
    'ws-b': { name: 'ws-b', process: undefined, port: await restartablePort() },
  };
  return {
    options,
    log,
    random,
    stack,
    db,
    tag,
    replicas,
    faults: new Faults(stack, replicas, log),
    writer: new ChaosWriter(db, seededRandom(options.seed + 1), tag),
    watched: [],
    timers: [],
    ledger: new RecoveryLedger(Date.now),
    probing: [],
    replicaDown: new Set(),
    measuring: true,
    running: true,
  };
}

const replicaUrl = (run: ChaosRun, name: ReplicaName) => `ws://127.0.0.1:${run.replicas[name].port}/ws`;

// What a load balancer in front of the replicas does: a connection to a dead replica fails at
// once (kill -9 resets it), and the next one goes to a replica that is up, if there is one.
const route = (run: ChaosRun, wanted: ReplicaName): ReplicaName => {
  const other = wanted === 'ws-a' ? 'ws-b' : 'ws-a';
  return run.replicaDown.has(wanted) && !run.replicaDown.has(other) ? other : wanted;
};

/** Both replicas up, then every table client and windowed client connected and live, spread over them. */
async function startReplicasAndClients(run: ChaosRun): Promise<void> {
  const { faults, watched } = run;
  await Promise.all([faults.restart('ws-a'), faults.restart('ws-b')]);
  for (let i = 0; i < run.options.clients; i++) {
    const filter = FILTERS[i % FILTERS.length];
    const recorder = recordingClient(replicaUrl(run, i % 2 === 0 ? 'ws-a' : 'ws-b'), filter ? { filter } : {});
    watched.push(tableClient(run, 'orders', recorder, filter));
  }
  LINE_FILTERS.forEach((filter, i) => {
    const recorder = recordingClient(replicaUrl(run, i % 2 === 0 ? 'ws-b' : 'ws-a'), {
      table: 'order_lines',
      ...(filter ? { filter } : {}),
    });
    watched.push(tableClient(run, 'order_lines', recorder, filter));
  });
  WINDOWS.forEach(({ table, filter, window }, i) => {
    const recorder = recordingClient(replicaUrl(run, i % 2 === 0 ? 'ws-b' : 'ws-a'), {
      table,
      window,
      subscriptionId: `window-${i}`,
      ...(filter ? { filter } : {}),
    });
    const entry: Watched = { table, recorder, filter, changes: [], window: { query: window, states: [] } };
    recorder.client.on('window', (state) => entry.window!.states.push({ rows: state.rows, cursor: state.cursor }));
    recorder.client.connect();
    watched.push(entry);
  });
  await Promise.all(watched.map((w) => w.recorder.waitLive(60_000)));
  run.log(`${watched.length} clients live on 2 replicas; writing as "${run.tag}"`);
}

/** A client of a whole table (or of a filter on it), connected, recording every change it applies; watched entry i of the ledger. */
function tableClient(run: ChaosRun, table: ChaosTable, recorder: RecordingClient, filter: Watched['filter']): Watched {
  const i = run.watched.length;
  const entry: Watched = { table, recorder, filter, changes: [] };
  run.ledger.addClient(i);
  recorder.client.on('change', (change) => {
    run.ledger.delivered(i, change.commitTime);
    const row = change.row ?? (change.op === 'leave' ? (change.change.row ?? undefined) : undefined);
    entry.changes.push({
      op: change.op,
      id: table === 'orders' ? Number(change.id) : lineLabel(row ?? change.previous),
      row,
      previous: change.previous,
      cursor: change.cursor,
    });
  });
  recorder.client.connect();
  return entry;
}

/** A line as problems name it (its row id is an encoded key, not for reading). */
const lineLabel = (row: LiveRow | undefined) => (row ? `${String(row['order_id'])}/${String(row['line_no'])}` : 'unknown line');

/** Clients drop and come back at random, half the time on the other replica. */
function dropClientsAtRandom(run: ChaosRun): void {
  const { timers, ledger, random } = run;
  for (const [i, entry] of run.watched.entries()) {
    const cycle = () => {
      if (!run.running) return;
      entry.recorder.client.setNetworkOnline(false);
      ledger.clientOffline(i);
      timers.push(
        setTimeout(
          () => {
            entry.recorder.target = replicaUrl(run, route(run, pick(['ws-a', 'ws-b'] as const, random)));
            entry.recorder.client.setNetworkOnline(true);
            ledger.clientOnline(i);
            timers.push(setTimeout(cycle, between(DISCONNECT_EVERY_MS[0], DISCONNECT_EVERY_MS[1], random)));
          },
          between(OFFLINE_MS[0], OFFLINE_MS[1], random),
        ),
      );
    };
    timers.push(setTimeout(cycle, between(DISCONNECT_EVERY_MS[0], DISCONNECT_EVERY_MS[1], random)));
  }
}

/**
 * The measured phase: the writer commits while the schedule kills and restarts components (and a
 * supervisor restarts what died on its own), until every fault's recovery is seen at every client;
 * then the writer stops and everything is up. Returns when the schedule started.
 */
async function injectFaults(run: ChaosRun): Promise<number> {
  const { options, faults, writer, ledger, log, timers } = run;
  const probe = serviceProbe(run.stack, (name) => `http://127.0.0.1:${run.replicas[name].port}`);
  writer.start();
  let supervising = true;
  const supervisor = (async () => {
    while (supervising) {
      await faults.supervise().catch((err: Error) => log(`supervisor: ${err.message}`));
      await new Promise((resolve) => setTimeout(resolve, SUPERVISE_EVERY_MS));
    }
  })();
  const schedule = faultSchedule(options.durationMs, run.random);
  const started = Date.now();
  const pending = schedule.map((fault) => killAndRestart(run, fault, started, probe));
  await sleepUntil(started + options.durationMs);
  await Promise.all(pending);
  // The writer keeps committing until every fault's recovery is seen, so the last one is measured
  // by the pipeline's own pace, not by how the run winds down.
  await waitFor('a change after every fault at every client', () => ledger.allRecovered(), SETTLE_TIMEOUT_MS).catch(() =>
    log(`${secondsSince(started)} not every fault recovered within ${SETTLE_TIMEOUT_MS / 1_000} s of the schedule's end`),
  );
  supervising = false;
  await supervisor;
  run.running = false;
  timers.forEach(clearTimeout);
  await writer.stop();
  await faults.restoreAll();
  log(`${secondsSince(started)} faults over; writer stopped; waiting for every client to catch up`);
  return started;
}

/** One fault: kill -9 its target at its time (clients of a dead replica go to the other), restart it at its time. */
async function killAndRestart(run: ChaosRun, fault: Fault, started: number, probe: Probe): Promise<void> {
  const { faults, ledger, log } = run;
  await sleepUntil(started + fault.killAt);
  log(`${secondsSince(started)} kill -9 ${fault.target}`);
  await faults.kill(fault.target);
  const id = ledger.kill(fault.target);
  if (fault.target === 'ws-a' || fault.target === 'ws-b') {
    const dead = fault.target;
    run.replicaDown.add(dead);
    for (const entry of run.watched)
      if (entry.recorder.target === replicaUrl(run, dead)) entry.recorder.target = replicaUrl(run, route(run, dead));
  }
  await sleepUntil(started + fault.restartAt);
  log(`${secondsSince(started)} restart ${fault.target}`);
  // Serving again: the component itself answers a probe, or, if sooner, the restart is done
  // (it waited for the component's own readiness). The next kill of the target waits for that.
  let restarted = false;
  const serving = (async () => {
    while (run.measuring && !restarted && !(await probe(fault.target)))
      await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
    if (!run.measuring) return;
    ledger.serving(id);
    log(`${secondsSince(started)} ${fault.target} is serving`);
  })();
  run.probing.push(serving);
  try {
    await faults.restart(fault.target);
  } finally {
    restarted = true;
  }
  ledger.serving(id);
  if (fault.target === 'ws-a' || fault.target === 'ws-b') run.replicaDown.delete(fault.target);
  log(`${secondsSince(started)} ${fault.target}: restart done`);
}

/** Everyone back online, on whichever replica; a fence row proves each has everything before it. Returns ms from the start to settled. */
async function settleOnFences(run: ChaosRun, started: number): Promise<number> {
  const { watched, ledger, log } = run;
  for (const [i, entry] of watched.entries()) {
    entry.recorder.client.setNetworkOnline(true);
    ledger.clientOnline(i);
  }
  // Two fences in one transaction, so that every filter matches one: a client holding the fence
  // its filter matches has every commit before it.
  // A line of the first, in the same transaction, is the fence of the order_lines clients (quantity
  // 2: every line filter matches it).
  const fenceRow = { customer_name: run.tag, product_name: 'Chaos fence', quantity: 1, amount: 0 };
  const connection = await run.db.connect();
  let fences: Awaited<ReturnType<typeof insertOrders>>;
  try {
    await connection.query('BEGIN');
    fences = await insertOrders(connection, [
      { ...fenceRow, status: 'pending' },
      { ...fenceRow, status: 'delivered' },
    ]);
    await connection.query(
      `INSERT INTO order_lines (order_id, line_no, product_name, quantity, unit_price) VALUES ($1, 1, 'Chaos fence', 2, 0)`,
      [fences[0]!.id],
    );
    await connection.query('COMMIT');
  } finally {
    connection.release();
  }
  const lineFence = encodeKey([fences[0]!.id, 1]);
  const fenceFor = (entry: Watched) =>
    entry.table === 'order_lines'
      ? lineFence
      : fences.find((f) => !entry.filter || matchesFilter(entry.filter, { ...FENCE_ROW, ...f }))!.id;
  const tables = watched.filter((w) => !w.window);
  await waitFor(
    'every client to have its fence',
    () => tables.every((w) => w.recorder.client.state.name === 'live' && w.recorder.client.get(fenceFor(w)) !== undefined),
    SETTLE_TIMEOUT_MS,
  );
  const settledMs = Date.now() - started;
  log(`${secondsSince(started)} settled: every client has the fence`);
  run.measuring = false;
  await Promise.all(run.probing);
  return settledMs;
}

/**
 * The verdict, per table: every client's changes and final rows against the database, every
 * window's states and final rows against the query.
 */
async function checkClients(run: ChaosRun): Promise<{ verdicts: Record<ChaosTable, Verdict>; windows: Watched[] }> {
  const { watched } = run;
  const tables = watched.filter((w) => !w.window);
  const verdicts: Record<ChaosTable, Verdict> = { orders: emptyVerdict(), order_lines: emptyVerdict() };
  const database = await selectOrders(run.db);
  const lines = await selectLines(run.db);
  // A window has no fence of its own: once the table clients have theirs, it must come to equal
  // the query over the database (nothing is written any more).
  const windows = watched.filter((w) => w.window);
  const windowDifferences = (entry: Watched) => {
    const checked = CHECKED[entry.table];
    const expected = expectedWindow<LiveRow>(entry.table === 'orders' ? database : lines, entry.filter, entry.window!.query, checked);
    const shown = entry.recorder.client.rows();
    const label = entry.table === 'orders' ? undefined : lineLabel;
    return rowDifferences(shown, expected, label).concat(
      JSON.stringify(shown.map(checked.idOf)) === JSON.stringify(expected.map(checked.idOf)) ? [] : ['rows in another order'],
    );
  };
  await waitFor(
    'every window to equal the database',
    () => windows.every((w) => w.recorder.client.state.name === 'live' && windowDifferences(w).length === 0),
    SETTLE_TIMEOUT_MS,
  ).catch(
    () => undefined, // counted as lost below
  );
  for (const entry of windows) {
    const windowVerdict = verdicts[entry.table];
    checkWindowStates(entry.window!.states, windowVerdict, compareCursors, CHECKED[entry.table]);
    const differences = windowDifferences(entry);
    windowVerdict.lost += differences.length;
    windowVerdict.problems.push(...differences.slice(0, 5).map((d) => `final window ${JSON.stringify(entry.window!.query)} differs: ${d}`));
  }
  for (const entry of tables) {
    const tableVerdict = verdicts[entry.table];
    checkChanges(entry.changes, entry.filter !== undefined, tableVerdict, compareCursors);
    const differences =
      entry.table === 'orders'
        ? rowDifferences(entry.recorder.client.rows(), entry.filter ? database.filter((row) => matchesFilter(entry.filter, row)) : database)
        : rowDifferences(
            entry.recorder.client.rows(),
            lines.filter((row) => matchesFilter(entry.filter, row, LINE_LOOKUP)),
            lineLabel,
          );
    tableVerdict.lost += differences.length;
    tableVerdict.problems.push(...differences.slice(0, 5).map((d) => `final view differs: ${d}`));
  }
  return { verdicts, windows };
}

/** order_lines as the wire carries them (numeric as its text, as Debezium's string decimals). */
async function selectLines(db: pg.Pool): Promise<LiveRow[]> {
  const { rows } = await db.query<{ order_id: string; line_no: number; product_name: string; quantity: number; unit_price: string }>(
    'SELECT order_id, line_no, product_name, quantity, unit_price::text AS unit_price FROM public.order_lines ORDER BY order_id, line_no',
  );
  return rows.map((row) => ({ ...row, order_id: Number(row.order_id) }));
}

/** The order_lines columns a line filter or window compares by (quantity: an int, so `gte: 2` is numeric). */
const LINE_LOOKUP = columnLookup([
  { name: 'order_id', kind: 'bigint', sourceType: 'INT8', nullable: false },
  { name: 'line_no', kind: 'int', sourceType: 'INT4', nullable: false },
  { name: 'quantity', kind: 'int', sourceType: 'INT4', nullable: false },
]);

/** Per table, how its rows are identified and compared: orders' numeric id; a line's composite key (row-id.ts). */
const CHECKED: Record<ChaosTable, CheckedTable> = {
  orders: ORDERS_CHECKED,
  order_lines: { idOf: rowIdFunction(['order_id', 'line_no']), lookup: LINE_LOOKUP },
};

/** Clean-up, whatever happened: timers, writer, clients, every component back up, replicas stopped, pool closed. */
async function tearDown(run: ChaosRun): Promise<void> {
  run.running = false;
  run.measuring = false;
  run.timers.forEach(clearTimeout);
  await run.writer.stop().catch(() => undefined);
  for (const entry of run.watched) entry.recorder.client.close();
  await run.faults.restoreAll().catch(() => undefined);
  await Promise.all(Object.values(run.replicas).map(async (r) => r.process?.stop()));
  await run.db.end();
}

/** The fence's columns other than id and status, to ask which filter it matches. */
const FENCE_ROW = { customer_name: '', product_name: 'Chaos fence', quantity: 1, amount: '0.00', created_at: '', updated_at: '' };

const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
const secondsSince = (started: number) => `${((Date.now() - started) / 1_000).toFixed(1).padStart(6)} s`;
