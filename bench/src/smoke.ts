/**
 * `npm run bench:smoke`: every benchmark, briefly (small N, seconds), so they never rot. Not a
 * measurement: it fails (exit 1) only when a benchmark breaks or gives numbers that cannot be right
 * (nothing delivered, a view of the wrong size, a latency that is not a positive number).
 * Results go to a temporary directory, never over bench/results.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOptions, type Options, type OptionSpec } from '@orders-live/cli-kit';
import type { Cleanup } from '@orders-live/testkit';
import { DECODE_OPTIONS, runDecode } from './decode/run.js';
import { formatDecode } from './decode/output.js';
import { FANOUT_OPTIONS, runFanout } from './fanout/run.js';
import { formatFanout } from './fanout/output.js';
import { LATENCY_OPTIONS, runLatency } from './latency/run.js';
import { formatLatency, latencyChart } from './latency/output.js';
import { STARTUP_OPTIONS, runStartup } from './startup/run.js';
import { formatStartup } from './startup/output.js';
import { log, runBenchmark } from './harness/main-support.js';
import { WINDOW_OPTIONS, runWindow } from './window/run.js';
import { formatWindow } from './window/output.js';
import type { Summary } from './harness/stats.js';

const outDir = mkdtempSync(join(tmpdir(), 'orders-live-bench-smoke-'));
const problems: string[] = [];
const expect = (ok: boolean, what: string) => {
  if (!ok) problems.push(what);
};
const positive = (value: number) => Number.isFinite(value) && value > 0;
const saneLatency = (summary: Summary, what: string) => {
  expect(summary.count > 0, `${what}: no samples`);
  expect(
    positive(summary.p50) && summary.p50 <= summary.p99 && summary.p99 <= summary.max,
    `${what}: p50 ${summary.p50}, p99 ${summary.p99}, max ${summary.max}`,
  );
};

/** One benchmark with these arguments (its results to the temporary directory), its report printed. */
async function briefly<S extends OptionSpec, R>(
  args: string[],
  spec: S,
  run: (options: Options<S>, cleanup: Cleanup, log: (line: string) => void) => Promise<R>,
  format: (result: R) => string,
  cleanup: Cleanup,
): Promise<R> {
  const result = await run(parseOptions([...args, '--out-dir', outDir], spec), cleanup, log);
  process.stdout.write(`${format(result)}\n`);
  return result;
}

async function latency(cleanup: Cleanup): Promise<void> {
  const args = ['--clients', '20', '--rate', '50', '--duration', '2', '--warmup', '1', '--rows', '50'];
  const result = await briefly(args, LATENCY_OPTIONS, runLatency, formatLatency, cleanup);
  for (const [name, c] of [
    ['ours', result.ours],
    ['baseline', result.baseline],
  ] as const) {
    expect(c !== null, `latency ${name}: not measured`);
    if (!c) continue;
    expect(c.deliveries > 0, `latency ${name}: no deliveries`);
    expect(c.incomplete.missing === 0, `latency ${name}: ${c.incomplete.missing} changes reached no client`);
    saneLatency(c.endToEnd, `latency ${name} end to end`);
    saneLatency(c.hops.commitToKafka, `latency ${name} commit → Kafka`);
  }
  expect(
    result.witness.applied > 0 && result.witness.outOfOrder === 0,
    `latency witness: ${result.witness.applied} applied, ${result.witness.outOfOrder} out of order`,
  );
  expect(latencyChart(result).includes('<polyline'), 'latency chart has no line');
}

async function fanout(cleanup: Cleanup): Promise<void> {
  const args = ['--clients', '100', '--burst-size', '50', '--bursts', '1', '--rate', '20', '--steady-seconds', '1'];
  const result = await briefly(args, FANOUT_OPTIONS, runFanout, formatFanout, cleanup);
  for (const failure of result.failures) expect(false, `fanout: ${failure}`);
  for (const step of result.steps) {
    for (const kind of ['ours', 'socketio', 'seed'] as const) {
      const run = step.runs[kind];
      expect(run !== undefined, `fanout ${kind}: not measured`);
      if (!run) continue;
      expect(run.clients.ready === step.clients, `fanout ${kind}: ${run.clients.ready} of ${step.clients} clients connected`);
      expect(positive(run.burstDeliveriesPerSecond), `fanout ${kind}: burst deliveries/s ${run.burstDeliveriesPerSecond}`);
      for (const burst of run.bursts)
        expect(burst.complete, `fanout ${kind}: ${burst.kind} burst delivered ${burst.deliveries} of ${burst.expected}`);
      expect(run.steady !== null && run.steady.deliveries > 0, `fanout ${kind}: steady phase delivered nothing`);
      expect(Number.isFinite(run.idle.rssPerConnectionBytes), `fanout ${kind}: RSS per connection not measured`);
    }
  }
}

async function startup(cleanup: Cleanup): Promise<void> {
  const rows = 1_000;
  const result = await briefly(
    ['--rows', String(rows), '--repeat', '1', '--settle', '0.5'],
    STARTUP_OPTIONS,
    runStartup,
    formatStartup,
    cleanup,
  );
  const size = result.sizes[0];
  expect(size !== undefined, 'startup: no measurement');
  if (!size) return;
  expect(
    size.starts.every((start) => start.viewRows === rows),
    `startup: view rows ${size.starts.map((s) => s.viewRows).join(', ')}, expected ${rows}`,
  );
  expect(positive(size.bestReadyMs), `startup: ready in ${size.bestReadyMs} ms`);
  expect(positive(size.topic.snapshotMs), 'startup: topic generation not timed');
}

async function windows(cleanup: Cleanup): Promise<void> {
  const args = [
    '--rows',
    '2000',
    '--clients',
    '20',
    '--typed',
    '5',
    '--windows',
    '5',
    '--limit',
    '20',
    '--rate',
    '50',
    '--duration',
    '3',
    '--tx-rows',
    '500',
  ];
  const result = await briefly(args, WINDOW_OPTIONS, runWindow, formatWindow, cleanup);
  expect(
    result.subscribe.failed === 0 && result.subscribe.ms.count === 20,
    `window: ${result.subscribe.ms.count} windows complete, ${result.subscribe.failed} failed`,
  );
  expect(result.subscribe.bytes.p50 > 0, 'window: no window bytes');
  saneLatency(result.diffs.latencyMs, 'window change → diff');
  expect(result.diffs.counted > 0, 'window: the raw clients counted no diff');
  expect(result.invalidFrames === 0, `window: ${result.invalidFrames} invalid frames`);
  expect(
    result.bigTransaction?.tableClientMs !== null && result.bigTransaction?.tableClientMs !== undefined,
    'window: the large transaction never arrived whole',
  );
}

async function decode(cleanup: Cleanup): Promise<void> {
  const result = await briefly(
    ['--records', '1000', '--rounds', '1'],
    DECODE_OPTIONS,
    (o, _c, l) => runDecode(o, l),
    formatDecode,
    cleanup,
  );
  for (const r of result.results)
    expect(positive(r.decodeNsPerRecord) && positive(r.valueBytes), `decode ${r.case}: ${r.decodeNsPerRecord} ns, ${r.valueBytes} bytes`);
}

await runBenchmark('bench:smoke', {}, async (_options, cleanup) => {
  const started = performance.now();
  const timings: string[] = [];
  try {
    for (const [name, run] of [
      ['latency', latency],
      ['fanout', fanout],
      ['startup', startup],
      ['window', windows],
      ['decode', decode],
    ] as const) {
      const t = performance.now();
      log(`\n── smoke: ${name} ──`);
      try {
        await run(cleanup);
      } catch (err) {
        problems.push(`${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      } finally {
        // Each benchmark's clean-up runs before the next one starts.
        await cleanup.run();
      }
      timings.push(`${name} ${((performance.now() - t) / 1_000).toFixed(1)} s`);
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  process.stdout.write(`\nsmoke: ${timings.join(', ')}; total ${((performance.now() - started) / 1_000).toFixed(1)} s\n`);
  if (problems.length > 0) {
    process.stdout.write(`smoke FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write('smoke passed: every benchmark ran and produced sane numbers\n');
  }
});
