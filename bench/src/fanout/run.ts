/**
 * The fan-out benchmark: for each client count (1k, 5k, 10k by default), our websocket-service and
 * two baselines (Socket.IO, and a seed-style `ws` server: servers.ts) in turn, each with its clients
 * in a separate process, under the same load from the same topic: idle memory per connection, a
 * steady rate of single-row changes, and bursts of many changes in one transaction (insert them,
 * update them N times, delete them). A run that delivered nothing fails the benchmark (verdict.ts).
 */
import { readFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureStack, superuserPool, type Cleanup } from '@orders-live/testkit';
import { flag, num, nums, str, type Options } from '@orders-live/cli-kit';
import { sleep } from '../harness/clock.js';
import { benchMarker, deleteBenchRows, insertBenchRows, newRunId, openBenchPool, updateMany, updateOne } from '../harness/bench-rows.js';
import { Fleet } from '../harness/fleet.js';
import { connectMeasuringMemory, measureBurst, measureSteady, type DeliveryWindow, type IdleMemory, type SteadyResult } from './measure.js';
import { runOpenLoop } from '../harness/load.js';
import { openFilesLimit } from '../harness/proc-stats.js';
import { summarizeProfileFile, type ProfileSummary } from '../harness/profile-summary.js';
import { RESULT_OPTIONS, resultHead, timestamp, type Machine } from '../harness/results.js';
import { startBenchServer, SERVER_KINDS, SERVER_LABELS, type ServerKind } from './servers.js';
import { burstTotals, measuredNothing, ratio, type BurstTotals } from './verdict.js';

export const FANOUT_OPTIONS = {
  clients: nums([1_000, 5_000, 10_000], 'client counts to step through (comma-separated; 10k = 10000)', 1),
  servers: str(
    'ours,socketio,seed',
    'servers to measure, in order: ours, socketio (Socket.IO baseline), seed (ws + JSON.stringify per client)',
  ),
  burstSize: num(500, 'changes per burst (all in one transaction)', 1),
  bursts: num(3, 'update bursts per step, besides the insert burst that creates the rows and the delete burst that removes them', 0),
  rate: num(50, 'steady phase: single-row changes per second', 1),
  steadySeconds: num(10, 'steady phase length in seconds (0 skips it)', 0),
  socketioClient: str(
    'raw',
    'clients of the Socket.IO baseline: raw (Engine.IO frames counted, like ours) or official (socket.io-client, parsing every event)',
  ),
  profile: flag('record CPU profiles of the servers (bench/results/profiles/)'),
  ...RESULT_OPTIONS,
};
type FanoutOptions = Options<typeof FANOUT_OPTIONS>;

/** File descriptors a process needs besides its sockets (Kafka, HTTP, files, stdio). */
const SPARE_FILE_DESCRIPTORS = 512;

interface ServerRun {
  readonly server: ServerKind;
  readonly label: string;
  readonly clients: {
    readonly ready: number;
    readonly failed: number;
    readonly connectMs: number;
    readonly firstError: string | undefined;
  };
  readonly idle: IdleMemory;
  readonly steady: SteadyResult | null;
  readonly bursts: readonly (DeliveryWindow & { readonly kind: 'insert' | 'update' | 'delete' })[];
  /** All bursts together: deliveries ÷ the sum of their delivery windows. */
  readonly burstDeliveriesPerSecond: number;
  /** All bursts together: deliveries, windows, server CPU (cores) and deliveries per core (verdict.ts). */
  readonly burst: BurstTotals;
  readonly closes: Record<string, number>;
  readonly profile: ProfileSummary | null;
}

interface FanoutStep {
  readonly clients: number;
  readonly runs: Partial<Record<ServerKind, ServerRun>>;
  /** ours ÷ socketio, burst deliveries per second (when both ran and delivered). */
  readonly burstRatio: number | null;
  /** ours ÷ each baseline, burst deliveries per second and deliveries per core of server CPU (null: one of them did not run or delivered nothing). */
  readonly ratios: {
    readonly vsSocketio: { readonly deliveriesPerSecond: number | null; readonly deliveriesPerCore: number | null };
    readonly vsSeed: { readonly deliveriesPerSecond: number | null; readonly deliveriesPerCore: number | null };
  };
}

export interface FanoutResult {
  readonly benchmark: 'fanout';
  readonly startedAt: string;
  readonly machine: Machine;
  readonly options: Omit<FanoutOptions, 'outDir' | 'json'>;
  readonly targets: {
    readonly deliveriesPerSecondAt10k: number;
    /** Issue 19: burst deliveries per second per core of service CPU. */
    readonly deliveriesPerServerCore: number;
    readonly ratioVsSocketio: number;
    readonly rssPerIdleConnectionBytesAt10k: number;
  };
  readonly steps: readonly FanoutStep[];
  /** Runs that measured nothing (no client connected, or no burst delivery): non-empty fails the benchmark. */
  readonly failures: readonly string[];
}

function parseServers(text: string): ServerKind[] {
  const kinds = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const kind of kinds)
    if (!SERVER_KINDS.includes(kind as ServerKind)) throw new Error(`--servers: unknown server "${kind}" (${SERVER_KINDS.join(', ')})`);
  return kinds as ServerKind[];
}

/** Refuses client counts this machine cannot open, saying what to change. */
function checkCapacity(maxClients: number): void {
  const limit = openFilesLimit();
  if (limit < maxClients + SPARE_FILE_DESCRIPTORS) {
    throw new Error(
      `${maxClients} clients need ${maxClients + SPARE_FILE_DESCRIPTORS} open files per process (the server's sockets, and the client fleet's), ` +
        `but the limit here is ${limit}. Raise it in this shell (\`ulimit -n ${maxClients * 2}\`, up to the hard limit \`ulimit -Hn\`), ` +
        'or system-wide (/etc/security/limits.conf, or LimitNOFILE= for a systemd unit), or step through fewer clients (--clients).',
    );
  }
  const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'latin1').trim().split(/\s+/).map(Number);
  const ports = (high ?? 0) - (low ?? 0) + 1;
  if (maxClients > ports - SPARE_FILE_DESCRIPTORS) {
    throw new Error(
      `${maxClients} clients from one process need as many ephemeral ports to one server address, but net.ipv4.ip_local_port_range gives ${ports}.`,
    );
  }
}

async function runServer(
  kind: ServerKind,
  clients: number,
  options: FanoutOptions,
  context: {
    stack: Awaited<ReturnType<typeof ensureStack>>;
    db: ReturnType<typeof superuserPool>;
    runId: string;
    cleanup: Cleanup;
    log: (line: string) => void;
  },
): Promise<ServerRun> {
  const { stack, db, cleanup, log } = context;
  const profileDir = options.profile ? join(options.outDir, 'profiles', `fanout-${timestamp()}-${kind}-${clients}`) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const server = await startBenchServer(kind, stack, profileDir ? { cpuProfileDir: profileDir } : {});
  const stopServer = cleanup.add(`stop ${kind}`, () => server.stop());
  const fleet = Fleet.start();
  const stopFleet = cleanup.add('stop the client fleet', () => fleet.close());
  const connected = await connectMeasuringMemory(
    server,
    fleet,
    clients,
    kind === 'socketio' && options.socketioClient === 'official' ? 'socketio-client' : server.protocol,
  );
  log(
    `  ${kind}: ${connected.ready} clients ready in ${connected.connectMs} ms${connected.failed ? `, ${connected.failed} failed (${connected.firstError})` : ''}`,
  );
  const ready = connected.ready;
  const idle = connected.memory;
  log(`  ${kind}: idle RSS ${(idle.rssPerConnectionBytes / 1_024).toFixed(1)} KiB per connection`);

  const marker = benchMarker(`${context.runId}-${kind}-${clients}`);
  cleanup.add('delete the benchmark rows', () => deleteBenchRows(db, marker).then(() => undefined));
  let ids: number[] = [];
  const bursts: ServerRun['bursts'][number][] = [];
  const burst = async (kind: 'insert' | 'update' | 'delete', commit: () => Promise<void>) => {
    const result = await measureBurst(server, fleet, ready, options.burstSize, commit);
    bursts.push({ kind, ...result });
    log(
      `  ${server.kind}: ${kind} burst: ${result.deliveries}/${result.expected} deliveries in ${result.windowMs} ms = ${result.deliveriesPerSecond}/s`,
    );
  };

  let steady: SteadyResult | null = null;
  // No client to deliver to: nothing to measure (the verdict fails the benchmark on it).
  if (ready > 0)
    await burst('insert', async () => {
      ids = await insertBenchRows(db, marker, options.burstSize);
    });
  if (ready > 0 && options.steadySeconds > 0) {
    steady = await measureSteady(server, fleet, ready, options.rate, options.steadySeconds, () =>
      runOpenLoop(options.rate, options.steadySeconds * 1_000, (i) => updateOne(db, ids[i % ids.length]!)),
    );
    log(
      `  ${kind}: steady ${options.rate}/s: ${steady.deliveries}/${steady.expected} deliveries, server CPU ${steady.serverCpuShare} cores, backlog drained ${steady.backlogDrainMs} ms after the last commit`,
    );
  }
  if (ready > 0) {
    for (let i = 0; i < options.bursts; i++) await burst('update', () => updateMany(db, ids));
    await burst('delete', () => deleteBenchRows(db, marker).then(() => undefined));
  }

  const closes = (await fleet.stats()).closes;
  await stopFleet();
  await stopServer();
  let profile: ProfileSummary | null = null;
  if (profileDir) {
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
    if (file) profile = summarizeProfileFile(join(profileDir, file));
  }
  const totals = burstTotals(bursts);
  log(
    `  ${kind}: bursts: ${totals.deliveries}/${totals.expected} deliveries, ${totals.deliveriesPerSecond}/s on ${totals.serverCores} server cores = ${totals.deliveriesPerCore}/s per core`,
  );
  return {
    server: kind,
    label: SERVER_LABELS[kind],
    clients: { ready, failed: connected.failed, connectMs: connected.connectMs, firstError: connected.firstError },
    idle,
    steady,
    bursts,
    burstDeliveriesPerSecond: totals.deliveriesPerSecond,
    burst: totals,
    closes,
    profile,
  };
}

export async function runFanout(options: FanoutOptions, cleanup: Cleanup, log: (line: string) => void): Promise<FanoutResult> {
  const startedAt = new Date().toISOString();
  if (options.socketioClient !== 'raw' && options.socketioClient !== 'official')
    throw new Error(`--socketio-client: raw or official, not "${options.socketioClient}"`);
  const kinds = parseServers(options.servers);
  checkCapacity(Math.max(...options.clients));
  const stack = await ensureStack();
  const db = await openBenchPool(stack, cleanup, log);
  const runId = newRunId();

  const steps: FanoutStep[] = [];
  const failures: string[] = [];
  for (const clients of options.clients) {
    log(`${clients} clients:`);
    const runs: Partial<Record<ServerKind, ServerRun>> = {};
    for (const kind of kinds) {
      const run = await runServer(kind, clients, options, { stack, db, runId, cleanup, log });
      runs[kind] = run;
      const nothing = measuredNothing(clients, run);
      if (nothing) {
        failures.push(nothing);
        log(`  FAILED: ${nothing}`);
      }
      await sleep(1_000); // let the sockets of the last run close before the next opens as many
    }
    const versus = (baseline: ServerRun | undefined) => ({
      deliveriesPerSecond: ratio(runs.ours?.burst.deliveriesPerSecond, baseline?.burst.deliveriesPerSecond),
      deliveriesPerCore: ratio(runs.ours?.burst.deliveriesPerCore, baseline?.burst.deliveriesPerCore),
    });
    const vsSocketio = versus(runs.socketio);
    steps.push({ clients, runs, burstRatio: vsSocketio.deliveriesPerSecond, ratios: { vsSocketio, vsSeed: versus(runs.seed) } });
  }
  return {
    ...resultHead('fanout', startedAt, options),
    targets: {
      deliveriesPerSecondAt10k: 1_000_000,
      deliveriesPerServerCore: 2_000_000,
      ratioVsSocketio: 10,
      rssPerIdleConnectionBytesAt10k: 16 * 1_024,
    },
    steps,
    failures,
  };
}
