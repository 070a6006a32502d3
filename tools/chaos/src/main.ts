/**
 * `npm run test:chaos -- --seed <n> --duration <s> --clients <n>`: one chaos run against the native
 * stack (STACK_* variables pick which one), a report, and exit status 1 unless lost, duplicated and
 * out-of-order are all 0. Results are also written as JSON to chaos-results/.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { parseFlags, runCli, UsageError } from '@orders-live/cli-kit';
import { REPO_ROOT } from '@orders-live/testkit';
import { recoveryTable } from './recovery-table.js';
import { runChaos } from './run.js';

const USAGE = 'usage: npm run test:chaos -- [--seed <integer>] [--duration <seconds ≥ 20>] [--clients <n>]';

interface ChaosCli {
  readonly help: boolean;
  readonly seed: number;
  readonly durationMs: number;
  readonly clients: number;
}

function parseChaosArgs(argv: readonly string[]): ChaosCli {
  const values = parseFlags(argv, {
    seed: { type: 'string' },
    duration: { type: 'string' },
    clients: { type: 'string' },
    help: { type: 'boolean' },
  });
  const seed = Number(values.seed ?? Date.now() % 1_000_000);
  const durationMs = Number(values.duration ?? '120') * 1_000;
  const clients = Number(values.clients ?? '8');
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, not "${values.seed}"`);
  if (!(durationMs >= 20_000)) throw new UsageError(`--duration must be at least 20 seconds, not "${values.duration}"`);
  if (!(clients >= 1)) throw new UsageError(`--clients must be at least 1, not "${values.clients}"`);
  return { help: values.help === true, seed, durationMs, clients };
}

async function chaos({ seed, durationMs, clients }: ChaosCli): Promise<void> {
  process.stdout.write(`chaos run: seed ${seed}, ${durationMs / 1_000} s, ${clients} clients\n`);
  const report = await runChaos({ seed, durationMs, clients, log: (line) => process.stdout.write(`${line}\n`) });
  const rows: [string, string | number][] = [
    ['committed changes', report.committedChanges],
    ['committed transactions (long, interleaved)', `${report.committedTransactions} (${report.longTransactions})`],
    ['failed transactions (database down)', `${report.failedTransactions} (the writer's failures, not losses)`],
    ['committed line changes (order_lines)', report.committedLineChanges],
    ['delivered (orders clients)', report.delivered],
    ['lost', report.lost],
    ['duplicated', report.duplicated],
    ['out of order', report.outOfOrder],
    ...Object.entries(report.tables).map(([table, t]): [string, string] => [
      `  ${table} (${t.clients} clients)`,
      `committed ${t.committedChanges}, delivered ${t.delivered}, lost ${t.lost}, duplicated ${t.duplicated}, out of order ${t.outOfOrder}`,
    ]),
    ['resets (cursor too old)', report.resets],
    ['resumes / reconnects', `${report.resumes} / ${report.reconnects}`],
    [
      'kills',
      Object.entries(report.kills)
        .map(([target, n]) => `${target}×${n}`)
        .join(' '),
    ],
    ['restarts of components that died on their own', report.unplannedRestarts],
  ];
  for (const [name, value] of rows) process.stdout.write(`  ${name.padEnd(44)} ${value}\n`);
  for (const line of recoveryTable(report.recovery, report.settledMs, report.durationMs)) process.stdout.write(`  ${line}\n`);
  for (const problem of report.problems) process.stdout.write(`  ! ${problem}\n`);
  const dir = `${REPO_ROOT}chaos-results`;
  await mkdir(dir, { recursive: true });
  const json = JSON.stringify(report, null, 2);
  await writeFile(`${dir}/chaos-${seed}-${Date.now()}.json`, json);
  await writeFile(`${dir}/latest.json`, json);
  const ok = report.lost === 0 && report.duplicated === 0 && report.outOfOrder === 0;
  process.stdout.write(ok ? 'chaos: nothing lost, duplicated or out of order\n' : 'chaos: FAILED\n');
  if (!ok) process.exitCode = 1;
}

await runCli({ name: 'chaos', usage: USAGE, parse: parseChaosArgs, run: chaos });
