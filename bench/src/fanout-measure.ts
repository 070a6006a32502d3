/**
 * What bench:fanout measures on one server with C clients connected: resident memory per idle
 * connection, a steady rate of single-row changes, and bursts of many changes in one transaction.
 * Deliveries are counted at the clients (a frame that reached a client), never at the server.
 */
import { sleep, wallMicros } from './clock.js';
import { cpuShare, sampleProcess, type ProcSample } from './proc-stats.js';
import type { Fleet } from './fleet.js';
import type { FleetStats } from './fleet-protocol.js';
import type { BenchServer } from './servers.js';

export interface IdleMemory {
  readonly rssBeforeBytes: number;
  readonly rssIdleBytes: number;
  readonly rssPerConnectionBytes: number;
  /** V8 heap used, before and with the clients (our service only: from /metrics). */
  readonly heapBeforeBytes: number | null;
  readonly heapIdleBytes: number | null;
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
  /** Server CPU seconds over the window, per delivery (µs) and as a share of one core. */
  readonly serverCpuUsPerDelivery: number;
  readonly serverCpuShare: number;
  readonly clientCpuShare: number;
  readonly complete: boolean;
}

export interface SteadyResult extends DeliveryWindow {
  readonly rate: number;
  readonly seconds: number;
  readonly offeredDeliveriesPerSecond: number;
  /** How long after the last commit the last delivery arrived: small when the server keeps up. */
  readonly backlogDrainMs: number;
}

/** Nothing new at the clients for this long after the expected count: done. */
const SETTLED_QUIET_MS = 300;
/** Nothing new for this long at all: whatever is missing is not coming. */
const STALLED_QUIET_MS = 5_000;
const DRAIN_TIMEOUT_MS = 300_000;
const RSS_SETTLE_MS = 500;
const RSS_SETTLE_TIMEOUT_MS = 10_000;

async function heapUsed(server: BenchServer): Promise<number | null> {
  if (!server.metricsUrl) return null;
  const text = await (await fetch(`${server.metricsUrl}/metrics`)).text();
  const match = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text);
  return match ? Number(match[1]) : null;
}

/** RSS once it stops moving (snapshot buffers sent, allocations settled). */
async function settledRss(pid: number): Promise<number> {
  const deadline = performance.now() + RSS_SETTLE_TIMEOUT_MS;
  let previous = sampleProcess(pid).rssBytes;
  for (;;) {
    await sleep(RSS_SETTLE_MS);
    const current = sampleProcess(pid).rssBytes;
    if (Math.abs(current - previous) < previous * 0.002 || performance.now() > deadline) return current;
    previous = current;
  }
}

export async function baselineMemory(server: BenchServer): Promise<{ rss: number; heap: number | null }> {
  return { rss: await settledRss(server.pid), heap: await heapUsed(server) };
}

export async function idleMemory(server: BenchServer, before: { rss: number; heap: number | null }, connections: number): Promise<IdleMemory> {
  const rssIdleBytes = await settledRss(server.pid);
  return {
    rssBeforeBytes: before.rss,
    rssIdleBytes,
    rssPerConnectionBytes: Math.round((rssIdleBytes - before.rss) / connections),
    heapBeforeBytes: before.heap,
    heapIdleBytes: await heapUsed(server),
  };
}

/** Waits until `expected` deliveries arrived and things went quiet, or nothing arrives any more. */
async function drain(fleet: Fleet, expected: number): Promise<FleetStats> {
  const started = performance.now();
  let last = await fleet.stats();
  let lastChangeAt = performance.now();
  for (;;) {
    await sleep(50);
    const stats = await fleet.stats();
    if (stats.deliveries !== last.deliveries) lastChangeAt = performance.now();
    last = stats;
    const quietMs = performance.now() - lastChangeAt;
    if (stats.deliveries >= expected && quietMs >= SETTLED_QUIET_MS) return stats;
    if (quietMs >= STALLED_QUIET_MS || performance.now() - started > DRAIN_TIMEOUT_MS) return stats;
  }
}

function deliveryWindow(changes: number, clients: number, committedUs: number, stats: FleetStats, server: [ProcSample, ProcSample], client: [ProcSample, ProcSample]): DeliveryWindow {
  const windowMs = stats.deliveries > 1 ? (stats.lastUs - stats.firstUs) / 1_000 : NaN;
  const serverCpuSeconds = server[1].cpuSeconds - server[0].cpuSeconds;
  const expected = changes * clients;
  return {
    changes,
    expected,
    deliveries: stats.deliveries,
    windowMs: round1(windowMs),
    deliveriesPerSecond: Math.round(stats.deliveries / (windowMs / 1_000)),
    commitToFirstMs: round1((stats.firstUs - committedUs) / 1_000),
    commitToLastMs: round1((stats.lastUs - committedUs) / 1_000),
    serverCpuUsPerDelivery: round2((serverCpuSeconds * 1e6) / Math.max(1, stats.deliveries)),
    // CPU is sampled around the whole drain (including its quiet tail): share over the delivery window.
    serverCpuShare: round2(serverCpuSeconds / (windowMs / 1_000)),
    clientCpuShare: round2((client[1].cpuSeconds - client[0].cpuSeconds) / (windowMs / 1_000)),
    complete: stats.deliveries >= expected,
  };
}

/** One transaction of `changes` row changes (`commit`), delivered to every client. */
export async function measureBurst(server: BenchServer, fleet: Fleet, clients: number, changes: number, commit: () => Promise<void>): Promise<DeliveryWindow> {
  await fleet.reset();
  const serverBefore = sampleProcess(server.pid);
  const clientBefore = sampleProcess(fleet.pid);
  await commit();
  const committedUs = wallMicros();
  const stats = await drain(fleet, changes * clients);
  return deliveryWindow(changes, clients, committedUs, stats, [serverBefore, sampleProcess(server.pid)], [clientBefore, sampleProcess(fleet.pid)]);
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
  const serverBefore = sampleProcess(server.pid);
  const clientBefore = sampleProcess(fleet.pid);
  const { completed } = await run();
  const committedUs = wallMicros();
  const serverAtLoadEnd = sampleProcess(server.pid);
  const stats = await drain(fleet, completed * clients);
  const window = deliveryWindow(completed, clients, committedUs, stats, [serverBefore, sampleProcess(server.pid)], [clientBefore, sampleProcess(fleet.pid)]);
  return {
    ...window,
    rate,
    seconds,
    offeredDeliveriesPerSecond: rate * clients,
    backlogDrainMs: round1((stats.lastUs - committedUs) / 1_000),
    // Over the load itself: the share of a core the server needed for this rate.
    serverCpuShare: round2(cpuShare(serverBefore, serverAtLoadEnd)),
  };
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;
