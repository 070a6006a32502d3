/**
 * The latency benchmark: commit → Kafka → service → client, for every change, at a steady rate to
 * N subscribed clients; then the same with the connector on Debezium's default latency settings
 * (the baseline), in the same run, against the same service and clients.
 *
 * The connector is changed with PUT /connectors/orders/config and always put back: in a finally,
 * on Ctrl-C, and — if this process is killed outright — by the next run, from the backup file.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import {
  Cleanup,
  ensureStack,
  getConnectorConfig,
  recordingClient,
  REPO_ROOT,
  waitFor,
  type ConnectorConfig,
  type RecordingClient,
  type StackEndpoints,
} from '@orders-live/testkit';
import { flag, num, type Options } from '@orders-live/cli-kit';
import { wallMicros } from '../harness/clock.js';
import { insertBenchRows, markRunRows, openBenchPool, updateOne } from '../harness/bench-rows.js';
import {
  LATENCY_SETTINGS,
  backupConnectorConfig,
  clearConnectorBackup,
  applyWithLatencySettings,
  restoreLeftoverBackup,
  withDefaultLatencySettings,
} from '../harness/connector-config.js';
import { Fleet } from '../harness/fleet.js';
import type { ConnectResult } from '../harness/fleet-protocol.js';
import { measurePhase, type PhaseResult } from './phase.js';
import { summarizeProfileFile, type ProfileSummary } from '../harness/profile-summary.js';
import { RESULT_OPTIONS, resultHead, timestamp, type Machine } from '../harness/results.js';
import { startService, type RunningService } from '../harness/service-process.js';
import { TopicTap } from '../harness/topic-tap.js';
import { pinService, type Pinning } from '../harness/cpu-pinning.js';

export const LATENCY_OPTIONS = {
  clients: num(1_000, 'subscribed WebSocket clients (raw, in a separate process)', 1),
  rate: num(500, 'changes committed per second (single-row transactions)', 1),
  duration: num(30, 'seconds of measured load, per configuration', 1),
  warmup: num(3, 'seconds of load before measuring, per configuration (not counted)', 0),
  rows: num(1_000, 'benchmark rows the updates cycle through (inserted first, deleted after)', 1),
  insertShare: num(0.1, 'share of the changes that are inserts; the rest update one row', 0),
  connections: num(8, 'Postgres connections committing the load', 1),
  timeEvery: num(10, 'every Nth client times each arrival (the sample); every client counts what it receives', 1),
  noBaseline: flag('skip the baseline (connector on its default latency settings)'),
  noPin: flag('let the service share the cores (by default it has a core of its own: taskset)'),
  profile: flag('record a CPU profile of the service (bench/results/profiles/)'),
  ...RESULT_OPTIONS,
};
type LatencyOptions = Options<typeof LATENCY_OPTIONS>;

const CONNECTOR_NAME = 'orders';
/** Where a changed connector config is backed up until it is restored (see connector-config.ts). */
const CONNECTOR_BACKUP_PATH = `${REPO_ROOT}bench/.connector-backup.json`;
/** A restarted connector task streams again within seconds; minutes mean something else is wrong. */
const PROBE_TIMEOUT_MS = 180_000;
const PROBE_INTERVAL_MS = 5_000;

export interface LatencyConfiguration extends PhaseResult {
  readonly connector: Record<string, string | null>;
  /** The connector config still said what this configuration set when the measurement ended. */
  readonly connectorUnchangedDuringRun: boolean;
}

export interface LatencyResult {
  readonly benchmark: 'latency';
  readonly startedAt: string;
  readonly machine: Machine;
  readonly options: Omit<LatencyOptions, 'outDir' | 'json'>;
  readonly targets: { readonly p50Ms: number; readonly p99Ms: number };
  readonly service: { readonly readyMs: number; readonly pinning: Pinning | null };
  readonly clientsConnected: { readonly ready: number; readonly failed: number; readonly elapsedMs: number };
  readonly ours: LatencyConfiguration;
  readonly baseline: LatencyConfiguration | null;
  /** The typed client (@orders-live/client) riding along: every change applied once, in cursor order. */
  readonly witness: { readonly applied: number; readonly outOfOrder: number };
  readonly profile: ProfileSummary | null;
}

const latencySettingsOf = (config: ConnectorConfig): Record<string, string | null> =>
  Object.fromEntries(LATENCY_SETTINGS.map((key) => [key, config[key] ?? null]));

/** What a run sets up once and both configurations share: the service, its clients, the benchmark rows. */
interface LatencyRun {
  readonly stack: StackEndpoints;
  /** The connector config as the run found it: "ours", and what the baseline is put back to. */
  readonly original: ConnectorConfig;
  readonly service: RunningService;
  readonly stopService: () => Promise<void>;
  readonly profileDir: string | undefined;
  readonly connected: ConnectResult;
  readonly witness: RecordingClient;
  /** Commits a change and waits until it comes out of the topic: the pipeline is live. */
  readonly probe: () => Promise<void>;
  /** Measures one configuration at the run's rate and duration. */
  readonly phase: (label: string) => Promise<PhaseResult>;
  /** Where the service ran: a core of its own, or shared (undefined). */
  readonly pinning: Pinning | undefined;
}

export async function runLatency(options: LatencyOptions, cleanup: Cleanup, log: (line: string) => void): Promise<LatencyResult> {
  const startedAt = new Date().toISOString();
  const run = await setUpLatencyRun(options, cleanup, log);
  const { stack, original, service, connected, witness } = run;

  await run.probe();
  const oursPhase = await run.phase('ours (connector as configured)');
  const ours: LatencyConfiguration = {
    ...oursPhase,
    connector: latencySettingsOf(original),
    connectorUnchangedDuringRun: sameLatencySettings(await getConnectorConfig(stack.connectUrl, CONNECTOR_NAME), original),
  };
  const baseline = options.noBaseline ? null : await measureBaseline(run, cleanup, log);

  const witnessResult = { applied: witness.applied.length, outOfOrder: witness.outOfOrder().length };
  const profile = await serviceProfile(run);

  return {
    ...resultHead('latency', startedAt, options),
    targets: { p50Ms: 15, p99Ms: 50 },
    service: { readyMs: Math.round(service.readyMs), pinning: run.pinning ?? null },
    clientsConnected: { ready: connected.ready, failed: connected.failed, elapsedMs: connected.elapsedMs },
    ours,
    baseline,
    witness: witnessResult,
    profile,
  };
}

/** Set-up: the connector as found, the benchmark's consumer, the service, the clients, the rows. */
async function setUpLatencyRun(options: LatencyOptions, cleanup: Cleanup, log: (line: string) => void): Promise<LatencyRun> {
  const stack = await ensureStack();
  await restoreLeftoverBackup(stack.connectUrl, CONNECTOR_BACKUP_PATH);
  const original = await getConnectorConfig(stack.connectUrl, CONNECTOR_NAME);
  const missing = LATENCY_SETTINGS.filter((key) => !(key in original));
  if (missing.length > 0) log(`note: the connector has no ${missing.join(', ')}: "ours" runs on its current config`);

  const db = await openBenchPool(stack, cleanup, log, options.connections);
  const marker = markRunRows(db, cleanup, log);
  // Before the clients connect: each gets the rows in its snapshot, read before it counts as ready,
  // not as one large transaction frame to 1,000 sockets at the start of the measurement.
  log(`inserting ${options.rows} benchmark rows…`);
  const rowIds = await insertBenchRows(db, marker, options.rows);

  const tap = new TopicTap(stack.kafkaBrokers, stack.topic);
  cleanup.add('stop the benchmark consumer', () => tap.stop());
  await tap.start();

  const profileDir = options.profile ? join(options.outDir, 'profiles', `latency-${timestamp()}`) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  log('starting the websocket-service…');
  const service = await startService(stack, profileDir ? { cpuProfileDir: profileDir } : {});
  const stopService = cleanup.add('stop the websocket-service', () => service.stop());
  log(`  ready in ${Math.round(service.readyMs)} ms (pid ${service.pid})`);

  const fleet = Fleet.start();
  cleanup.add('stop the client fleet', () => fleet.close());
  log(`connecting ${options.clients} clients…`);
  // Each client subscribes to this run's rows only: the measurement is the live stream, not a
  // snapshot of whatever else the table holds.
  const connected = await fleet.connect('127.0.0.1', service.port, 'orders', options.clients, {
    record: options.timeEvery,
    filter: { customer_name: { eq: marker } },
  });
  log(
    `  ${connected.ready} subscribed in ${connected.elapsedMs} ms${connected.failed ? `, ${connected.failed} failed (${connected.firstError})` : ''}`,
  );
  if (connected.ready === 0) throw new Error(`no client could subscribe: ${connected.firstError}`);

  const pinning = options.noPin ? undefined : await pinService(service.pid, [fleet.pid], cleanup);
  log(
    pinning
      ? `  the service alone on core ${pinning.serviceCpu}; the stack, the fleet and the benchmark (${pinning.others} processes) on ${pinning.othersCpus}`
      : '  not pinned: the service shares the cores with the stack and the clients',
  );

  const witness = recordingClient(service.wsUrl);
  cleanup.add('close the witness client', () => witness.client.close());
  witness.client.connect();
  await witness.waitLive();

  let interrupted = false;
  cleanup.add('stop the load', () => {
    interrupted = true;
  });

  const phase = (label: string) => {
    log(
      `measuring ${label}: ${options.rate} changes/s for ${options.duration} s (+${options.warmup} s warm-up) to ${connected.ready} clients…`,
    );
    return measurePhase({
      db,
      marker,
      rowIds,
      service,
      fleet,
      tap,
      clients: connected.ready,
      timedClients: Math.ceil(options.clients / options.timeEvery),
      rate: options.rate,
      durationMs: options.duration * 1_000,
      warmupMs: options.warmup * 1_000,
      insertShare: options.insertShare,
      shouldStop: () => interrupted,
    });
  };
  const probe = () => probePipeline(db, tap, rowIds[0]!);
  return { stack, original, service, stopService, profileDir, connected, witness, probe, phase, pinning };
}

/**
 * Commits a change and waits until it comes out of the topic: the pipeline is live. Commits
 * another every PROBE_INTERVAL_MS while waiting (cheap, and says "still waiting" in the topic).
 */
async function probePipeline(db: pg.Pool, tap: TopicTap, rowId: number): Promise<void> {
  const since = wallMicros();
  let seen = false;
  const unsubscribe = tap.onRecord((record) => {
    if (record.commitUs >= since) seen = true;
  });
  const timer = setInterval(() => void updateOne(db, rowId).catch(() => undefined), PROBE_INTERVAL_MS);
  try {
    await updateOne(db, rowId);
    await waitFor('a probe change to come through the connector', () => seen, PROBE_TIMEOUT_MS);
  } finally {
    clearInterval(timer);
    unsubscribe();
  }
}

/**
 * The baseline: the connector switched to Debezium's default latency settings (backed up first,
 * put back by a clean-up step run here or on Ctrl-C), measured, then restored.
 */
async function measureBaseline(run: LatencyRun, cleanup: Cleanup, log: (line: string) => void): Promise<LatencyConfiguration> {
  const { stack, original } = run;
  const baselineConfig = withDefaultLatencySettings(original);
  backupConnectorConfig(CONNECTOR_BACKUP_PATH, CONNECTOR_NAME, original);
  const restore = cleanup.add('restore the orders connector config', async () => {
    log('restoring the connector config…');
    await applyWithLatencySettings(stack.connectUrl, CONNECTOR_NAME, original);
    clearConnectorBackup(CONNECTOR_BACKUP_PATH);
    log('  connector restored and RUNNING');
  });
  log(`switching the connector to its defaults (without ${LATENCY_SETTINGS.join(', ')})…`);
  const switchStarted = performance.now();
  await applyWithLatencySettings(stack.connectUrl, CONNECTOR_NAME, baselineConfig);
  const appliedMs = performance.now() - switchStarted;
  await run.probe();
  log(`  new config RUNNING after ${Math.round(appliedMs)} ms, changes flowing after ${Math.round(performance.now() - switchStarted)} ms`);
  const baselinePhase = await run.phase('baseline (connector defaults)');
  const baseline: LatencyConfiguration = {
    ...baselinePhase,
    connector: latencySettingsOf(baselineConfig),
    connectorUnchangedDuringRun: sameLatencySettings(await getConnectorConfig(stack.connectUrl, CONNECTOR_NAME), baselineConfig),
  };
  const restoreStarted = performance.now();
  await restore();
  await run.probe();
  log(`  changes flowing again ${Math.round(performance.now() - restoreStarted)} ms after the restore began`);
  return baseline;
}

/** With --profile: stops the service (it writes its profile on exit) and summarizes the profile. */
async function serviceProfile(run: LatencyRun): Promise<ProfileSummary | null> {
  if (!run.profileDir) return null;
  await run.stopService();
  const file = readdirSync(run.profileDir).find((name) => name.endsWith('.cpuprofile'));
  return file ? summarizeProfileFile(join(run.profileDir, file)) : null;
}

function sameLatencySettings(a: ConnectorConfig, b: ConnectorConfig): boolean {
  return LATENCY_SETTINGS.every((key) => a[key] === b[key]);
}
