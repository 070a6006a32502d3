/** `npm run bench:window -- [--rows 1000000 --clients 1000 --windows 50 --rate 1000 --duration 20 --tx-rows 20000]` (see window-run.ts). */
import { WINDOW_OPTIONS, runWindow } from './run.js';
import { formatWindow } from './output.js';
import { formatProfileSummary } from '../harness/profile-summary.js';
import { writeResult } from '../harness/results.js';
import { log, runBenchmark } from '../harness/main-support.js';

await runBenchmark('bench:window', WINDOW_OPTIONS, async (options, cleanup) => {
  const result = await runWindow(options, cleanup, log);
  process.stdout.write(`\n${formatWindow(result)}\n`);
  if (result.profile) process.stdout.write(`\nservice, over the load and the large transaction: ${formatProfileSummary(result.profile)}\n`);
  const path = writeResult('window', result, options.outDir, options.json || undefined);
  process.stdout.write(`\nwrote ${path} and latest-window.json\n`);
});
