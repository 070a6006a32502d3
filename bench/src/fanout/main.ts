/** `npm run bench:fanout -- [--clients 1000,5000,10000 --servers ours,socketio --burst-size 500]` (see fanout-run.ts). */
import { FANOUT_OPTIONS, runFanout } from './run.js';
import { formatFanout } from './output.js';
import { writeResult } from '../harness/results.js';
import { log, runBenchmark } from '../harness/main-support.js';

await runBenchmark('bench:fanout', FANOUT_OPTIONS, async (options, cleanup) => {
  const result = await runFanout(options, cleanup, log);
  process.stdout.write(`\n${formatFanout(result)}\n`);
  const path = writeResult('fanout', result, options.outDir, options.json || undefined);
  process.stdout.write(`\nwrote ${path} and latest-fanout.json\n`);
});
