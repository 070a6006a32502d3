/**
 * One chaos run: two websocket-service replicas, a writer committing all the time, clients (some
 * filtered) that disconnect and reconnect at random — sometimes to the other replica — while the
 * fault schedule kills and restarts the replicas, Connect, Kafka and Postgres. At the end every
 * client must hold exactly the database's rows (for its filter) and must have applied every change
 * after its snapshot once, in order (checker.ts); every windowed client must end on the window the
 * database gives, having never shown a row twice or a state older than the one before (window-checker.ts).
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { compareCursors, matchesFilter, type RowFilter, type WindowQuery } from '@orders-live/protocol';
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
import { checkWindowStates, expectedWindow, type WindowObservation } from './window-checker.js';
import { Faults, type Replica } from './faults.js';
import { faultSchedule, type Fault } from './schedule.js';
import { ChaosWriter } from './writer.js';
import { PROBE_INTERVAL_MS, serviceProbe, type Probe } from './probes.js';
import { RecoveryLedger } from './recovery.js';
import type { ChaosOptions, ChaosReport } from './report.js';

/** Most of the clients see every row; the rest watch a status filter, so rows enter and leave. */
const FILTERS: readonly (RowFilter | undefined)[] = [
  undefined,
  undefined,
  { status: { in: ['pending', 'shipped'] } },
  { status: { eq: 'delivered' } },
];
/** Windowed clients, besides the table clients: a moving top list, a filtered page, a page further in. */
const WINDOWS: readonly { readonly filter: RowFilter | undefined; readonly window: WindowQuery }[] = [
  { filter: undefined, window: { orderBy: { column: 'quantity', direction: 'desc' }, limit: 10 } },
  { filter: { status: { in: ['pending', 'shipped'] } }, window: { orderBy: { column: 'id', direction: 'desc' }, limit: 25 } },
  { filter: undefined, window: { orderBy: { column: 'amount', direction: 'asc' }, limit: 10, offset: 5 } },
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
  readonly recorder: RecordingClient;
  readonly filter: RowFilter | undefined;
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
    const { verdict, windows } = await checkClients(run);
    await run.db.query('DELETE FROM orders WHERE customer_name = $1', [run.tag]);
    return {
      seed: options.seed,
      durationMs: options.durationMs,
      ...writer.stats,
      delivered: watched.reduce((sum, w) => sum + w.changes.length, 0),
      windowStates: watched.reduce((sum, w) => sum + (w.window?.states.length ?? 0), 0),
      lost: verdict.lost,
      duplicated: verdict.duplicated,
      outOfOrder: verdict.outOfOrder,
      resets: watched.reduce((sum, w) => sum + w.recorder.client.stats.resets, 0),
      resumes: watched.reduce((sum, w) => sum + w.recorder.client.stats.resumes, 0),
      reconnects: watched.reduce((sum, w) => sum + w.recorder.client.stats.reconnects, 0),
      kills: Object.fromEntries(faults.kills),
      unplannedRestarts: faults.unplannedRestarts,
      clients: watched.length,
      windowClients: windows.length,
      recovery: ledger.report(started),
      settledMs,
      problems: verdict.problems,
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
  const { faults, ledger, watched } = run;
  await Promise.all([faults.restart('ws-a'), faults.restart('ws-b')]);
  for (let i = 0; i < run.options.clients; i++) {
    const filter = FILTERS[i % FILTERS.length];
    const recorder = recordingClient(replicaUrl(run, i % 2 === 0 ? 'ws-a' : 'ws-b'), filter ? { filter } : {});
    const entry: Watched = { recorder, filter, changes: [] };
    ledger.addClient(i);
    recorder.client.on('change', (change) => {
      ledger.delivered(i, change.commitTime);
      entry.changes.push({
        op: change.op,
        id: Number(change.id),
        row: change.row ?? (change.op === 'leave' ? (change.change.row ?? undefined) : undefined),
        previous: change.previous,
        cursor: change.cursor,
      });
    });
    recorder.client.connect();
    watched.push(entry);
  }
  WINDOWS.forEach(({ filter, window }, i) => {
    const recorder = recordingClient(replicaUrl(run, i % 2 === 0 ? 'ws-b' : 'ws-a'), {
      window,
      subscriptionId: `window-${i}`,
      ...(filter ? { filter } : {}),
    });
    const entry: Watched = { recorder, filter, changes: [], window: { query: window, states: [] } };
    recorder.client.on('window', (state) => entry.window!.states.push({ rows: state.rows, cursor: state.cursor }));
    recorder.client.connect();
    watched.push(entry);
  });
  await Promise.all(watched.map((w) => w.recorder.waitLive(60_000)));
  run.log(`${watched.length} clients live on 2 replicas; writing as "${run.tag}"`);
}

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
  const fenceRow = { customer_name: run.tag, product_name: 'Chaos fence', quantity: 1, amount: 0 };
  const fences = await insertOrders(run.db, [
    { ...fenceRow, status: 'pending' },
    { ...fenceRow, status: 'delivered' },
  ]);
  const fenceFor = (entry: Watched) => fences.find((f) => !entry.filter || matchesFilter(entry.filter, { ...FENCE_ROW, ...f }))!.id;
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

/** The verdict: every client's changes and final rows against the database, every window's states and final rows against the query. */
async function checkClients(run: ChaosRun): Promise<{ verdict: Verdict; windows: Watched[] }> {
  const { watched } = run;
  const tables = watched.filter((w) => !w.window);
  const verdict = emptyVerdict();
  const database = await selectOrders(run.db);
  // A window has no fence of its own: once the table clients have theirs, it must come to equal
  // the query over the database (nothing is written any more).
  const windows = watched.filter((w) => w.window);
  const windowDifferences = (entry: Watched) =>
    rowDifferences(entry.recorder.client.rows(), expectedWindow(database, entry.filter, entry.window!.query)).concat(
      JSON.stringify(entry.recorder.client.rows().map((r) => r.id)) ===
        JSON.stringify(expectedWindow(database, entry.filter, entry.window!.query).map((r) => r.id))
        ? []
        : ['rows in another order'],
    );
  await waitFor(
    'every window to equal the database',
    () => windows.every((w) => w.recorder.client.state.name === 'live' && windowDifferences(w).length === 0),
    SETTLE_TIMEOUT_MS,
  ).catch(
    () => undefined, // counted as lost below
  );
  for (const entry of windows) {
    checkWindowStates(entry.window!.states, verdict, compareCursors);
    const differences = windowDifferences(entry);
    verdict.lost += differences.length;
    verdict.problems.push(...differences.slice(0, 5).map((d) => `final window ${JSON.stringify(entry.window!.query)} differs: ${d}`));
  }
  for (const entry of tables) {
    checkChanges(entry.changes, entry.filter !== undefined, verdict, compareCursors);
    const expected = entry.filter ? database.filter((row) => matchesFilter(entry.filter, row)) : database;
    const differences = rowDifferences(entry.recorder.client.rows(), expected);
    verdict.lost += differences.length;
    verdict.problems.push(...differences.slice(0, 5).map((d) => `final view differs: ${d}`));
  }
  return { verdict, windows };
}

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
