/** `npm run bench:page -- [--rows 1000000 --tx-rows 10000 --repeat 3]` (see run.ts). */
import { PAGE_OPTIONS, formatPage, runPage } from './run.js';
import { writeResult } from '../harness/results.js';
import { log, runBenchmark } from '../harness/main-support.js';

await runBenchmark('bench:page', PAGE_OPTIONS, async (options, cleanup) => {
  const result = await runPage(options, cleanup, log);
  process.stdout.write(`\n${formatPage(result)}\n`);
  const path = writeResult('page', result, options.outDir, options.json || undefined);
  process.stdout.write(`\nwrote ${path} and latest-page.json\n`);
});
