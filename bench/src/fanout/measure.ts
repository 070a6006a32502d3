/**
 * What bench:fanout measures on one server with C clients connected: resident memory per idle
 * connection, a steady rate of single-row changes, and bursts of many changes in one transaction.
 * Deliveries are counted at the clients (a frame that reached a client), never at the server.
 */
import { HEAP_USED_METRIC, metricsText, sampleSum } from '@orders-live/testkit';
import { sleep, wallMicros } from '../harness/clock.js';
import { drainDeliveries, type DrainTiming } from '../harness/drain.js';
import { cpuShare, machineBusyCores, sampleMachine, sampleProcess, type MachineSample, type ProcSample } from '../harness/proc-stats.js';
import type { Fleet } from '../harness/fleet.js';
import type { FleetProtocol, FleetStats } from '../harness/fleet-protocol.js';
import type { BenchServer } from './servers.js';

/**
 * Memory per idle connection, as the slope between two points well after start-up: half the
 * clients connected, then all of them, each read after a full GC once RSS stops moving. (A
 * difference against the server before any client would charge the connections with whatever
 * the start-up left behind or gave back meanwhile.)
 */
export interface IdleMemory {
  readonly half: { readonly connections: number; readonly rssBytes: number; readonly heapBytes: number | null };
  readonly full: { readonly connections: number; readonly rssBytes: number; readonly heapBytes: number | null };
  readonly rssPerConnectionBytes: number;
  /** V8 heap per connection (our service only: from /metrics). */
  readonly heapPerConnectionBytes: number | null;
}

export interface DeliveryWindow {
  readonly changes: number;
  readonly expected: number;
  readonly deliveries: number;
  /** First to last delivery at the clients. */
  readonly windowMs: number;
  readonly deliveriesPerSecond: number;
  /** From the commit returning to the first / last delivery. */
  readonly commitToFirstMs: number;
  readonly commitToLastMs: number;
  /** Server CPU seconds, sampled around the commit and the whole drain (its quiet tail included). */
  readonly serverCpuSeconds: number;
  /** Server CPU over the window, per delivery (µs) and as a share of one core. */
  readonly serverCpuUsPerDelivery: number;
  readonly serverCpuShare: number;
  readonly clientCpuShare: number;
  /** Busy cores of the whole machine over the window (the stack and anyone else's work included). */
  readonly machineBusyCores: number;
  readonly complete: boolean;
}

export interface SteadyResult extends DeliveryWindow {
  readonly rate: number;
  readonly seconds: number;
  readonly offeredDeliveriesPerSecond: number;
  /** How long after the last commit the last delivery arrived: small when the server keeps up. */
  readonly backlogDrainMs: number;
}

/**
 * When a window's deliveries are all in: nothing new at the clients for 300 ms after the expected
 * count; or nothing new for 5 s at all (whatever is missing is not coming); at the latest after
 * 5 min; the clients' counts read every 50 ms.
 */
const DRAIN: DrainTiming = { settledMs: 300, stalledMs: 5_000, timeoutMs: 300_000, pollMs: 50 };
/** RSS is read this often until two readings differ by less than the tolerance (or the timeout). */
const RSS_SETTLE_MS = 300;
const RSS_SETTLE_TOLERANCE = { share: 0.003, bytes: 256 * 1_024 };
const RSS_SETTLE_TIMEOUT_MS = 5_000;

async function heapUsed(server: BenchServer): Promise<number | null> {
  return server.metricsUrl ? sampleSum(await metricsText(server.metricsUrl), HEAP_USED_METRIC) : null;
}

/** RSS once it stops moving (snapshot buffers sent, allocations settled). */
async function settledRss(pid: number): Promise<number> {
  const deadline = performance.now() + RSS_SETTLE_TIMEOUT_MS;
  let previous = sampleProcess(pid).rssBytes;
  for (;;) {
    await sleep(RSS_SETTLE_MS);
    const current = sampleProcess(pid).rssBytes;
    const tolerance = Math.max(previous * RSS_SETTLE_TOLERANCE.share, RSS_SETTLE_TOLERANCE.bytes);
    if (Math.abs(current - previous) < tolerance || performance.now() > deadline) return current;
    previous = current;
  }
}

/** Settled RSS and heap after a full GC. */
async function memoryNow(server: BenchServer): Promise<{ rssBytes: number; heapBytes: number | null }> {
  await settledRss(server.pid);
  await server.collectGarbage();
  const rssBytes = await settledRss(server.pid);
  return { rssBytes, heapBytes: await heapUsed(server) };
}

/** Connects the clients in two halves, reading memory after each (see IdleMemory). */
export async function connectMeasuringMemory(
  server: BenchServer,
  fleet: Fleet,
  clients: number,
  protocol: FleetProtocol = server.protocol,
): Promise<{ memory: IdleMemory; ready: number; failed: number; connectMs: number; firstError: string | undefined }> {
  const firstCount = Math.floor(clients / 2);
  const first = await fleet.connect('127.0.0.1', server.port, protocol, firstCount);
  const half = { connections: first.ready, ...(await memoryNow(server)) };
  const second = await fleet.connect('127.0.0.1', server.port, protocol, clients - firstCount);
  const full = { connections: first.ready + second.ready, ...(await memoryNow(server)) };
  const added = Math.max(1, full.connections - half.connections);
  return {
    memory: {
      half,
      full,
      rssPerConnectionBytes: Math.round((full.rssBytes - half.rssBytes) / added),
      heapPerConnectionBytes:
        full.heapBytes !== null && half.heapBytes !== null ? Math.round((full.heapBytes - half.heapBytes) / added) : null,
    },
    ready: first.ready + second.ready,
    failed: first.failed + second.failed,
    connectMs: first.elapsedMs + second.elapsedMs,
    firstError: first.firstError ?? second.firstError,
  };
}

/** Waits until `expected` deliveries arrived and things went quiet, or nothing arrives any more. */
async function drain(fleet: Fleet, expected: number): Promise<FleetStats> {
  const drained = await drainDeliveries({ ...DRAIN, stats: () => fleet.stats(), complete: (stats) => stats.deliveries >= expected });
  return drained.stats;
}

function deliveryWindow(
  changes: number,
  clients: number,
  committedUs: number,
  stats: FleetStats,
  server: [ProcSample, ProcSample],
  client: [ProcSample, ProcSample],
  machine: [MachineSample, MachineSample],
): DeliveryWindow {
  const windowMs = stats.deliveries > 1 ? (stats.lastUs - stats.firstUs) / 1_000 : NaN;
  const serverCpuSeconds = server[1].cpuSeconds - server[0].cpuSeconds;
  const expected = changes * clients;
  return {
    changes,
    expected,
    deliveries: stats.deliveries,
    windowMs: round1(windowMs),
    deliveriesPerSecond: Math.round(stats.deliveries / (windowMs / 1_000)),
    // Nothing delivered: no first or last delivery to time (0 is "none", not an instant).
    commitToFirstMs: stats.deliveries > 0 ? round1((stats.firstUs - committedUs) / 1_000) : NaN,
    commitToLastMs: stats.deliveries > 0 ? round1((stats.lastUs - committedUs) / 1_000) : NaN,
    serverCpuSeconds: Math.round(serverCpuSeconds * 1_000) / 1_000,
    serverCpuUsPerDelivery: round2((serverCpuSeconds * 1e6) / Math.max(1, stats.deliveries)),
    // CPU is sampled around the whole drain (including its quiet tail): share over the delivery window.
    serverCpuShare: round2(serverCpuSeconds / (windowMs / 1_000)),
    clientCpuShare: round2((client[1].cpuSeconds - client[0].cpuSeconds) / (windowMs / 1_000)),
    machineBusyCores: round2((machine[1].busySeconds - machine[0].busySeconds) / (windowMs / 1_000)),
    complete: stats.deliveries >= expected,
  };
}

/** The server's, the clients' and the machine's counters now; the returned function closes the window over the clients' stats. */
function startSampling(server: BenchServer, fleet: Fleet) {
  const before = { server: sampleProcess(server.pid), client: sampleProcess(fleet.pid), machine: sampleMachine() };
  const close = (changes: number, clients: number, committedUs: number, stats: FleetStats) =>
    deliveryWindow(
      changes,
      clients,
      committedUs,
      stats,
      [before.server, sampleProcess(server.pid)],
      [before.client, sampleProcess(fleet.pid)],
      [before.machine, sampleMachine()],
    );
  return { before, close };
}

/** One transaction of `changes` row changes (`commit`), delivered to every client. */
export async function measureBurst(
  server: BenchServer,
  fleet: Fleet,
  clients: number,
  changes: number,
  commit: () => Promise<void>,
): Promise<DeliveryWindow> {
  await fleet.reset();
  const sampling = startSampling(server, fleet);
  await commit();
  const committedUs = wallMicros();
  const stats = await drain(fleet, changes * clients);
  return sampling.close(changes, clients, committedUs, stats);
}

/** `rate` single-row changes per second for `seconds` (`commitOne(i)` each), delivered to every client. */
export async function measureSteady(
  server: BenchServer,
  fleet: Fleet,
  clients: number,
  rate: number,
  seconds: number,
  run: () => Promise<{ completed: number }>,
): Promise<SteadyResult> {
  await fleet.reset();
  const sampling = startSampling(server, fleet);
  const { completed } = await run();
  const committedUs = wallMicros();
  const serverAtLoadEnd = sampleProcess(server.pid);
  const machineAtLoadEnd = sampleMachine();
  const stats = await drain(fleet, completed * clients);
  const window = sampling.close(completed, clients, committedUs, stats);
  return {
    ...window,
    rate,
    seconds,
    offeredDeliveriesPerSecond: rate * clients,
    backlogDrainMs: round1((stats.lastUs - committedUs) / 1_000),
    // Over the load itself: the share of a core the server needed for this rate.
    serverCpuShare: round2(cpuShare(sampling.before.server, serverAtLoadEnd)),
    machineBusyCores: round2(machineBusyCores(sampling.before.machine, machineAtLoadEnd)),
  };
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;
