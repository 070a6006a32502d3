// Adds up the JSON reports of every tier into one closing line: "tests: N passed, N failed", after
// naming every failed test with the first lines of its error, so the tail of a long log says what failed.
// Exits non-zero when a tier has no report (it did not run) or ran no test.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const dir = process.argv[2];
const tiers = { unit: 'vitest', integration: 'vitest', browser: 'playwright' };
const errorLines = 6;
let passed = 0;
let failed = 0;
let skipped = 0;
let problem = false;
const failures = [];

/** The first lines of an error message, without terminal colours. */
function firstLines(message) {
  return stripVTControlCharacters(String(message))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, errorLines);
}

function vitestFailures(tier, report) {
  for (const file of report.testResults ?? []) {
    const name = relative(process.cwd(), file.name);
    const failedTests = (file.assertionResults ?? []).filter((test) => test.status === 'failed');
    for (const test of failedTests) {
      failures.push({ tier, title: `${name} › ${test.fullName}`, lines: firstLines(test.failureMessages.join('\n')) });
    }
    // A file that failed outside any test (an error in set-up or at import).
    if (file.status === 'failed' && failedTests.length === 0) {
      failures.push({ tier, title: name, lines: firstLines(file.message ?? 'failed outside any test') });
    }
  }
}

function playwrightFailures(tier, suites, titles = []) {
  for (const suite of suites ?? []) {
    const path = suite.file ? [...titles] : [...titles, suite.title];
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status === 'expected' || test.status === 'skipped') continue;
        const errors = (test.results ?? []).flatMap((result) => result.errors ?? []);
        failures.push({
          tier,
          title: `${spec.file}:${spec.line} › ${[...path, spec.title].filter(Boolean).join(' › ')} (${test.status})`,
          lines: firstLines(errors.map((error) => error.message ?? '').join('\n')),
        });
      }
    }
    playwrightFailures(tier, suite.suites, path);
  }
}

const lines = [];
for (const [tier, kind] of Object.entries(tiers)) {
  const file = join(dir, `${tier}.json`);
  if (!existsSync(file)) {
    lines.push(`${tier}: no report (the tier did not run)`);
    problem = true;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  let p, f, s;
  if (kind === 'vitest') {
    p = report.numPassedTests;
    f = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
    s = report.numPendingTests + report.numTodoTests;
    vitestFailures(tier, report);
  } else {
    p = report.stats.expected;
    f = report.stats.unexpected + report.stats.flaky;
    s = report.stats.skipped;
    playwrightFailures(tier, report.suites);
  }
  lines.push(`${tier}: ${p} passed, ${f} failed, ${s} skipped`);
  if (p === 0) problem = true;
  passed += p;
  failed += f;
  skipped += s;
}
for (const failure of failures) {
  process.stdout.write(`FAILED (${failure.tier}) ${failure.title}\n`);
  for (const line of failure.lines) process.stdout.write(`    ${line}\n`);
}
for (const line of lines) process.stdout.write(`${line}\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exitCode = failed > 0 || skipped > 0 || problem ? 1 : 0;
