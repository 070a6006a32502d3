/**
 * The start-up benchmark: how long a fresh websocket-service takes from spawn to /readyz on a topic
 * holding N rows (100k by default; 1M with --rows 100000,1000000), and what the view costs per row.
 * The topics are made on the side (startup-topic.ts) and deleted afterwards.
 *
 * Memory per row = (RSS with N rows − RSS on an empty topic) / N, and the same for the V8 heap, both
 * read a few seconds after ready (garbage from the catch-up may still be in the heap: an upper bound).
 *
 * Warm restart: the first start on each topic runs with a CHECKPOINT_DIR; once ready it writes a
 * checkpoint (CHECKPOINT_INTERVAL_MS is short here), is stopped with SIGTERM and started again on the
 * same directory: spawn → /readyz of that start, and the checkpoint's size, write time and longest
 * pause of the event loop while it was written.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flag, num, nums, str, type Options } from '@orders-live/cli-kit';
import { sleep } from '../harness/clock.js';
import { newRunId } from '../harness/bench-rows.js';
import { sampleProcess } from '../harness/proc-stats.js';
import { summarizeProfileFile, type ProfileSummary } from '../harness/profile-summary.js';
import { RESULT_OPTIONS, resultHead, timestamp, type Machine } from '../harness/results.js';
import { readyBody, startService } from '../harness/service-process.js';
import { HEAP_USED_METRIC, ensureStack, metricsText, sampleSum, waitFor, type Cleanup } from '@orders-live/testkit';
import { STARTUP_TABLES, StartupTopics, type GeneratedTopic, type StartupTable } from './topic.js';

export const STARTUP_OPTIONS = {
  rows: nums([100_000], 'rows in the topic, one measurement each (comma-separated; 1M = 1000000)', 1),
  tables: str('orders', `tables to measure, comma-separated: ${STARTUP_TABLES.join(', ')} (bigint, uuid, composite key)`),
  repeat: num(2, 'service starts per topic (the best and all are reported)', 1),
  settle: num(3, 'seconds to wait after ready before reading memory', 0),
  profile: flag('record a CPU profile of the first start on the largest topic (bench/results/profiles/)'),
  keepTopics: flag('leave the generated topics in Kafka (the database and connector are always removed)'),
  ...RESULT_OPTIONS,
};
type StartupOptions = Options<typeof STARTUP_OPTIONS>;

/** A million rows take the service a while to read: allow it, and report what it took. */
const READY_TIMEOUT_MS = 15 * 60_000;
/** The periodic checkpoint's interval for the cold start: written soon after it is ready (and only then). */
const BENCH_CHECKPOINT_INTERVAL_MS = 2_000;

/** What /readyz says of the checkpoint (checkpoint-store.ts). */
interface CheckpointBody {
  readonly loaded: { readonly loadMs: number; readonly rows: number } | null;
  readonly lastWritten: { readonly bytes: number; readonly writeMs: number; readonly longestPauseMs: number } | null;
}

interface WarmRestart {
  /** The cold start's checkpoint: its size, the time to write it and the longest event-loop pause meanwhile. */
  readonly checkpointBytes: number;
  readonly writeMs: number;
  readonly longestPauseMs: number;
  /** SIGTERM → exit of the cold-started service. */
  readonly stopMs: number;
  /** spawn → /readyz 200 of the start on the checkpoint. */
  readonly readyMs: number;
  /** Reading, checking and loading the file (part of readyMs). */
  readonly loadMs: number;
  readonly viewRows: number;
}

interface ServiceStart {
  readonly readyMs: number;
  readonly viewRows: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number | null;
}

interface StartupMeasurement {
  /** The table the topic holds rows of. */
  readonly table: StartupTable;
  readonly rows: number;
  readonly topic: Omit<GeneratedTopic, 'topic'>;
  readonly starts: readonly ServiceStart[];
  readonly bestReadyMs: number;
  /** Rows per second, over the whole start (spawn → ready). */
  readonly rowsPerSecond: number;
  readonly rssPerRowBytes: number;
  readonly heapPerRowBytes: number | null;
  readonly profile: ProfileSummary | null;
  readonly warm: WarmRestart | null;
}

export interface StartupResult {
  readonly benchmark: 'startup';
  readonly startedAt: string;
  readonly machine: Machine;
  readonly options: Omit<StartupOptions, 'outDir' | 'json'>;
  readonly targets: { readonly readyMsAt1M: number; readonly warmReadyMsAt1M: number };
  readonly empty: ServiceStart;
  readonly sizes: readonly StartupMeasurement[];
}

async function startOnce(
  stack: Awaited<ReturnType<typeof ensureStack>>,
  topic: string,
  settleSeconds: number,
  cleanup: Cleanup,
  cpuProfileDir?: string,
): Promise<ServiceStart> {
  const service = await startService(stack, {
    env: { KAFKA_TOPIC: topic },
    readyTimeoutMs: READY_TIMEOUT_MS,
    ...(cpuProfileDir ? { cpuProfileDir } : {}),
  });
  const stop = cleanup.add('stop the websocket-service', () => service.stop());
  try {
    await sleep(settleSeconds * 1_000);
    const body = await readyBody(service.httpUrl);
    return {
      readyMs: Math.round(service.readyMs),
      viewRows: body.rows,
      rssBytes: sampleProcess(service.pid).rssBytes,
      heapUsedBytes: sampleSum(await metricsText(service.httpUrl), HEAP_USED_METRIC),
    };
  } finally {
    await stop();
  }
}

/** A cold start with a checkpoint directory, its checkpoint written, a graceful stop, and a start on the checkpoint. */
async function coldThenWarm(
  stack: Awaited<ReturnType<typeof ensureStack>>,
  topic: string,
  settleSeconds: number,
  cleanup: Cleanup,
): Promise<{ cold: ServiceStart; warm: WarmRestart }> {
  const dir = mkdtempSync(join(tmpdir(), 'orders-live-bench-checkpoint-'));
  const removeDir = cleanup.add('remove the checkpoint directory', () => rmSync(dir, { recursive: true, force: true }));
  const env = { KAFKA_TOPIC: topic, CHECKPOINT_DIR: dir, CHECKPOINT_INTERVAL_MS: String(BENCH_CHECKPOINT_INTERVAL_MS) };
  try {
    const coldService = await startService(stack, { env, readyTimeoutMs: READY_TIMEOUT_MS });
    const stopCold = cleanup.add('stop the websocket-service', () => coldService.stop());
    await sleep(settleSeconds * 1_000);
    const body = await readyBody(coldService.httpUrl);
    const cold: ServiceStart = {
      readyMs: Math.round(coldService.readyMs),
      viewRows: body.rows,
      rssBytes: sampleProcess(coldService.pid).rssBytes,
      heapUsedBytes: sampleSum(await metricsText(coldService.httpUrl), HEAP_USED_METRIC),
    };
    const written = await waitFor(
      'the checkpoint written after the cold start',
      async () => (await checkpointBody(coldService.httpUrl)).lastWritten ?? undefined,
      READY_TIMEOUT_MS,
    );
    const stopAt = performance.now();
    await stopCold();
    const stopMs = Math.round(performance.now() - stopAt);

    const warmService = await startService(stack, { env, readyTimeoutMs: READY_TIMEOUT_MS });
    const stopWarm = cleanup.add('stop the websocket-service', () => warmService.stop());
    const warmBody = await readyBody(warmService.httpUrl);
    const loaded = (await checkpointBody(warmService.httpUrl)).loaded;
    await stopWarm();
    if (!loaded) throw new Error('the warm start did not start from the checkpoint (see its log)');
    return {
      cold,
      warm: {
        checkpointBytes: written.bytes,
        writeMs: written.writeMs,
        longestPauseMs: written.longestPauseMs,
        stopMs,
        readyMs: Math.round(warmService.readyMs),
        loadMs: loaded.loadMs,
        viewRows: warmBody.rows,
      },
    };
  } finally {
    await removeDir();
  }
}

async function checkpointBody(httpUrl: string): Promise<CheckpointBody> {
  const body = (await (await fetch(`${httpUrl}/readyz`)).json()) as { checkpoint: CheckpointBody | null };
  if (!body.checkpoint) throw new Error('the service reports no checkpoint: is CHECKPOINT_DIR passed?');
  return body.checkpoint;
}

export async function runStartup(options: StartupOptions, cleanup: Cleanup, log: (line: string) => void): Promise<StartupResult> {
  const startedAt = new Date().toISOString();
  const stack = await ensureStack();
  const topics = new StartupTopics(stack, newRunId(), log);
  cleanup.add('drop the start-up benchmark database, connector and topics', () => topics.destroy(options.keepTopics));

  log('empty topic: the fixed cost of a start…');
  const emptyTopic = await topics.createEmpty();
  const empty = await startOnce(stack, emptyTopic, options.settle, cleanup);
  log(`  ready in ${empty.readyMs} ms, RSS ${(empty.rssBytes / 2 ** 20).toFixed(1)} MiB`);

  const sizes: StartupMeasurement[] = [];
  const largest = Math.max(...options.rows);
  const tables = options.tables.split(',').map((name) => {
    if (!(STARTUP_TABLES as readonly string[]).includes(name))
      throw new Error(`--tables: ${name} is not one of ${STARTUP_TABLES.join(', ')}`);
    return name as StartupTable;
  });
  for (const [table, rows] of tables.flatMap((t) => options.rows.map((n) => [t, n] as const))) {
    log(`${table}, ${rows} rows: generating the topic…`);
    const generated = await topics.create(rows, table);
    log(
      `  topic ready: snapshot of ${rows} rows took ${(generated.snapshotMs / 1_000).toFixed(1)} s (${Math.round(rows / (generated.snapshotMs / 1_000))} rows/s)`,
    );
    const starts: ServiceStart[] = [];
    let profile: ProfileSummary | null = null;
    let warm: WarmRestart | null = null;
    for (let i = 0; i < options.repeat; i++) {
      const profileDir =
        options.profile && rows === largest && i === 0
          ? join(options.outDir, 'profiles', `startup-${timestamp()}-${table}-${rows}`)
          : undefined;
      if (profileDir) mkdirSync(profileDir, { recursive: true });
      if (i === 0 && !profileDir) {
        const measured = await coldThenWarm(stack, generated.topic, options.settle, cleanup);
        starts.push(measured.cold);
        warm = measured.warm;
        log(`  start 1 (cold, checkpoint on): ready in ${measured.cold.readyMs} ms with ${measured.cold.viewRows} rows`);
        log(
          `  checkpoint: ${(warm.checkpointBytes / 2 ** 20).toFixed(1)} MiB written in ${warm.writeMs} ms (longest pause ${warm.longestPauseMs} ms); stop ${warm.stopMs} ms`,
        );
        log(`  warm restart: ready in ${warm.readyMs} ms with ${warm.viewRows} rows (load ${warm.loadMs} ms)`);
        continue;
      }
      const start = await startOnce(stack, generated.topic, options.settle, cleanup, profileDir);
      starts.push(start);
      log(
        `  start ${i + 1}: ready in ${start.readyMs} ms with ${start.viewRows} rows, RSS ${(start.rssBytes / 2 ** 20).toFixed(0)} MiB${profileDir ? ' (profiled)' : ''}`,
      );
      if (start.viewRows !== rows) log(`  note: the view holds ${start.viewRows} rows, the topic ${rows}`);
      if (profileDir) {
        const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
        if (file) profile = summarizeProfileFile(join(profileDir, file));
      }
    }
    // A profiled start is slower: the best is taken over the others when there are others.
    const unprofiled = profile && starts.length > 1 ? starts.slice(1) : starts;
    const best = unprofiled.reduce((a, b) => (b.readyMs < a.readyMs ? b : a));
    const { topic: _topic, ...topicFacts } = generated;
    sizes.push({
      table,
      rows,
      topic: topicFacts,
      starts,
      bestReadyMs: best.readyMs,
      rowsPerSecond: Math.round(rows / (best.readyMs / 1_000)),
      rssPerRowBytes: Math.round((best.rssBytes - empty.rssBytes) / rows),
      heapPerRowBytes:
        best.heapUsedBytes !== null && empty.heapUsedBytes !== null ? Math.round((best.heapUsedBytes - empty.heapUsedBytes) / rows) : null,
      profile,
      warm,
    });
  }
  return { ...resultHead('startup', startedAt, options), targets: { readyMsAt1M: 15_000, warmReadyMsAt1M: 5_000 }, empty, sizes };
}
