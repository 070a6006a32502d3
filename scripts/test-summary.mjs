// Adds up the JSON reports of every tier into one closing line: "tests: N passed, N failed".
// Exits non-zero when a tier has no report (it did not run) or ran no test.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const tiers = { unit: 'vitest', integration: 'vitest', browser: 'playwright' };
let passed = 0;
let failed = 0;
let skipped = 0;
let problem = false;

for (const [tier, kind] of Object.entries(tiers)) {
  const file = join(dir, `${tier}.json`);
  if (!existsSync(file)) {
    process.stdout.write(`${tier}: no report (the tier did not run)\n`);
    problem = true;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  let p, f, s;
  if (kind === 'vitest') {
    p = report.numPassedTests;
    f = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
    s = report.numPendingTests + report.numTodoTests;
  } else {
    p = report.stats.expected;
    f = report.stats.unexpected + report.stats.flaky;
    s = report.stats.skipped;
  }
  process.stdout.write(`${tier}: ${p} passed, ${f} failed, ${s} skipped\n`);
  if (p === 0) problem = true;
  passed += p;
  failed += f;
  skipped += s;
}
process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exitCode = failed > 0 || skipped > 0 || problem ? 1 : 0;
