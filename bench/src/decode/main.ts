/** `npm run bench:decode -- [--records 50000 --rounds 7]` (see run.ts). */
import { DECODE_OPTIONS, runDecode } from './run.js';
import { formatDecode } from './output.js';
import { writeResult } from '../harness/results.js';
import { log, runBenchmark } from '../harness/main-support.js';

await runBenchmark('bench:decode', DECODE_OPTIONS, async (options) => {
  const result = await runDecode(options, log);
  process.stdout.write(`\n${formatDecode(result)}\n`);
  const path = writeResult('decode', result, options.outDir, options.json || undefined);
  process.stdout.write(`\nwrote ${path} and latest-decode.json\n`);
});
