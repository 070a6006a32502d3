/** `npm run bench:startup -- [--rows 100000,1000000 --repeat 2 --profile]` (see startup-run.ts). */
import { STARTUP_OPTIONS, runStartup } from './run.js';
import { formatStartup } from './output.js';
import { writeResult } from '../harness/results.js';
import { log, runBenchmark } from '../harness/main-support.js';

await runBenchmark('bench:startup', STARTUP_OPTIONS, async (options, cleanup) => {
  const result = await runStartup(options, cleanup, log);
  process.stdout.write(`\n${formatStartup(result)}\n`);
  const path = writeResult('startup', result, options.outDir, options.json || undefined);
  process.stdout.write(`\nwrote ${path} and latest-startup.json\n`);
});
