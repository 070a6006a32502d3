/**
 * One measured configuration of the latency benchmark: warm up, commit at the rate for the
 * duration, wait for every change to reach every client, and collect the timings.
 */
import { cpus } from 'node:os';
import type pg from 'pg';
import { promHistogramQuantile, type Summary } from '../harness/stats.js';
import { wallMicros } from '../harness/clock.js';
import { drainDeliveries, type DrainTiming } from '../harness/drain.js';
import { runOpenLoop, type LoadResult } from '../harness/load.js';
import { insertOne, updateOne } from '../harness/bench-rows.js';
import { cpuShare, machineBusyCores, sampleMachine, sampleProcess } from '../harness/proc-stats.js';
import { histogramBuckets } from '@orders-live/testkit';
import type { RunningService } from '../harness/service-process.js';
import { hopSummaries, incomplete, type ChangeTiming, type HopName } from './report.js';
import type { Fleet } from '../harness/fleet.js';
import type { TopicTap } from '../harness/topic-tap.js';

interface PhaseSetup {
  readonly db: pg.Pool;
  readonly marker: string;
  readonly rowIds: readonly number[];
  readonly service: RunningService;
  readonly fleet: Fleet;
  readonly tap: TopicTap;
  readonly clients: number;
  /** Clients that time each arrival (the fleet's sample); every client counts. */
  readonly timedClients: number;
  readonly rate: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly insertShare: number;
  readonly shouldStop: () => boolean;
}

export interface PhaseResult {
  readonly load: LoadResult;
  readonly changes: number;
  /** Deliveries counted by every client (one per change in a frame). */
  readonly deliveries: number;
  /** Of them, timed by the sample of clients. */
  readonly timedDeliveries: number;
  /** Commit → client received, over every timed delivery (µs clocks; commit from source.ts_us). */
  readonly endToEnd: Summary;
  readonly endToEndQuantiles: [number, number][];
  readonly hops: Record<HopName, Summary>;
  /** The service's own histogram (orders_commit_to_sent_ms, delta over the phase), bucket-interpolated. */
  readonly serviceCommitToSent: { readonly p50: number; readonly p90: number; readonly p99: number; readonly count: number };
  readonly incomplete: { readonly partial: number; readonly missing: number };
  /**
   * Cores busy over the measured load: the service, the client fleet, this benchmark (load, tap,
   * witness), and the whole machine (which adds Kafka, Connect, Postgres and anyone else's work).
   */
  readonly cpu: {
    readonly service: number;
    readonly clients: number;
    readonly benchmark: number;
    readonly machine: number;
    readonly cores: number;
    /** The service's CPU time per 1,000 deliveries, in ms: its cost, whatever the machine did meanwhile. */
    readonly serviceMsPerThousandDeliveries: number;
  };
  readonly drainMs: number;
}

/** After the load: the pipeline is drained when nothing new has arrived for this long. */
const QUIET_MS = 1_500;
/**
 * Every change at every client and quiet for a third of QUIET_MS; or quiet for three times it (the
 * rest is not coming); at the latest after a minute; the counts read every 100 ms.
 */
const DRAIN: DrainTiming = { settledMs: QUIET_MS / 3, stalledMs: QUIET_MS * 3, timeoutMs: 60_000, pollMs: 100 };
const SERVICE_HISTOGRAM = 'orders_commit_to_sent_ms';

function operation(setup: PhaseSetup): (i: number) => Promise<void> {
  // Inserts spread evenly; updates walk the rows in order, so no two writers hold the same row.
  const everyNth = setup.insertShare > 0 ? Math.max(1, Math.round(1 / setup.insertShare)) : Infinity;
  let nextRow = 0;
  return (i) => {
    if (i % everyNth === everyNth - 1) return insertOne(setup.db, setup.marker, i);
    const id = setup.rowIds[nextRow++ % setup.rowIds.length]!;
    return updateOne(setup.db, id);
  };
}

export async function measurePhase(setup: PhaseSetup): Promise<PhaseResult> {
  const op = operation(setup);
  if (setup.warmupMs > 0) await runOpenLoop(setup.rate, setup.warmupMs, op, setup.shouldStop);

  await setup.fleet.reset();
  const bucketsBefore = await histogramBuckets(setup.service.httpUrl, SERVICE_HISTOGRAM);
  const committed: { startUs: number; endUs: number } = { startUs: wallMicros(), endUs: 0 };
  setup.tap.capturing = true;
  const cpuBefore = {
    service: sampleProcess(setup.service.pid),
    clients: sampleProcess(setup.fleet.pid),
    benchmark: process.cpuUsage(),
    machine: sampleMachine(),
    at: performance.now(),
  };
  const load = await runOpenLoop(setup.rate, setup.durationMs, op, setup.shouldStop);
  committed.endUs = wallMicros();
  const cpuAfter = {
    service: sampleProcess(setup.service.pid),
    clients: sampleProcess(setup.fleet.pid),
    benchmark: process.cpuUsage(cpuBefore.benchmark),
    machine: sampleMachine(),
    at: performance.now(),
  };

  // Drain: every committed change through Kafka to every client, or quiet for long enough.
  const { elapsedMs: drainMs } = await drainDeliveries({
    ...DRAIN,
    stats: () => setup.fleet.stats(),
    complete: (stats) => {
      const inWindow = setup.tap.capturedCommittedBetween(committed.startUs, committed.endUs);
      return inWindow >= load.completed && stats.deliveries >= inWindow * setup.clients;
    },
    stop: setup.shouldStop,
  });
  setup.tap.capturing = false;
  const counted = await setup.fleet.stats();

  // Changes committed during the warm-up but delivered after it are not measured.
  const records = setup.tap.take().filter((r) => r.commitUs >= committed.startUs && r.commitUs <= committed.endUs);
  const latency = await setup.fleet.latency(records.map((r) => [r.cursor, r.commitUs] as const));
  const arrivals = new Map(latency.perChange.map(([cursor, firstUs, lastUs, clients]) => [cursor, { firstUs, lastUs, clients }]));
  const timings: ChangeTiming[] = records.map((r) => ({
    commitUs: r.commitUs,
    recordMs: r.recordMs,
    tappedUs: r.tappedUs,
    ...(arrivals.get(r.cursor) ?? { firstUs: 0, lastUs: 0, clients: 0 }),
  }));

  const bucketsAfter = await histogramBuckets(setup.service.httpUrl, SERVICE_HISTOGRAM);
  const delta = bucketsAfter.map((bucket) => ({
    le: bucket.le,
    count: bucket.count - (bucketsBefore.find((b) => b.le === bucket.le)?.count ?? 0),
  }));
  const seconds = (cpuAfter.at - cpuBefore.at) / 1_000;
  return {
    load,
    changes: records.length,
    deliveries: counted.deliveries,
    timedDeliveries: latency.summary.count,
    endToEnd: latency.summary,
    endToEndQuantiles: latency.quantiles,
    hops: hopSummaries(timings),
    serviceCommitToSent: {
      p50: promHistogramQuantile(delta, 0.5),
      p90: promHistogramQuantile(delta, 0.9),
      p99: promHistogramQuantile(delta, 0.99),
      count: delta.at(-1)?.count ?? 0,
    },
    incomplete: incomplete(timings, setup.timedClients),
    cpu: {
      service: round2(cpuShare(cpuBefore.service, cpuAfter.service)),
      clients: round2(cpuShare(cpuBefore.clients, cpuAfter.clients)),
      benchmark: round2((cpuAfter.benchmark.user + cpuAfter.benchmark.system) / 1e6 / seconds),
      machine: round2(machineBusyCores(cpuBefore.machine, cpuAfter.machine)),
      cores: cpus().length,
      serviceMsPerThousandDeliveries: round2(
        ((cpuAfter.service.cpuSeconds - cpuBefore.service.cpuSeconds) * 1_000 * 1_000) / Math.max(1, counted.deliveries),
      ),
    },
    drainMs: Math.round(drainMs),
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;
