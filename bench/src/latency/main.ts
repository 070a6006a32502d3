/** `npm run bench:latency -- [--clients 1000 --rate 500 --duration 30 --json path]` (see latency-run.ts). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LATENCY_OPTIONS, runLatency, type LatencyConfiguration } from './run.js';
import { formatLatency, latencyChart } from './output.js';
import { formatProfileSummary } from '../harness/profile-summary.js';
import { writeResult } from '../harness/results.js';
import { log, runBenchmark } from '../harness/main-support.js';

await runBenchmark('bench:latency', LATENCY_OPTIONS, async (options, cleanup) => {
  const result = await runLatency(options, cleanup, log);
  process.stdout.write(`\n${formatLatency(result)}\n`);
  if (result.profile) process.stdout.write(`\nservice ${formatProfileSummary(result.profile)}\n`);
  const path = writeResult('latency', result, options.outDir, options.json || undefined);
  const chart = join(options.outDir, 'latency.svg');
  writeFileSync(chart, latencyChart(result));
  process.stdout.write(`\nwrote ${path}, latest-latency.json and ${chart}\n`);
  // A configuration that delivered nothing measured nothing: the comparison is void, and the run failed.
  const phases: [string, LatencyConfiguration | null][] = [
    ['ours', result.ours],
    ['baseline', result.baseline],
  ];
  const empty = phases.filter(([, phase]) => phase?.deliveries === 0).map(([name]) => name);
  if (empty.length > 0) throw new Error(`${empty.join(' and ')} delivered no change to any client: nothing was measured`);
});
