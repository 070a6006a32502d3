/** `npm run bench:fanout -- [--clients 1000,5000,10000 --servers ours,socketio,seed --burst-size 500]` (see run.ts). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FANOUT_OPTIONS, runFanout } from './run.js';
import { formatFanout } from './output.js';
import { timestamp, writeResult } from '../harness/results.js';
import { log, runBenchmark } from '../harness/main-support.js';

await runBenchmark('bench:fanout', FANOUT_OPTIONS, async (options, cleanup) => {
  const result = await runFanout(options, cleanup, log);
  process.stdout.write(`\n${formatFanout(result)}\n`);
  if (result.failures.length > 0) {
    // A run that measured nothing never becomes latest-fanout.json; its figures are kept aside for the post-mortem.
    const dir = join(options.outDir, 'history');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `fanout-FAILED-${timestamp()}.json`);
    writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
    throw new Error(
      `FAILED: ${result.failures.length} run(s) measured nothing, so no ratio against them means anything (figures in ${path}):\n  ${result.failures.join('\n  ')}`,
    );
  }
  const path = writeResult('fanout', result, options.outDir, options.json || undefined);
  process.stdout.write(`\nwrote ${path} and latest-fanout.json\n`);
});
