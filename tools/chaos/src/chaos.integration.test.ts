/**
 * The bounded chaos run of the default test command: every component killed with SIGKILL at least
 * once (the websocket-service replicas, Connect, Kafka, Postgres) while the writer commits orders and
 * their order_lines in the same transactions and the clients of both tables reconnect.
 * `npm run test:chaos -- --seed <n> --duration <s>` runs a long one on demand.
 */
import { expect, it } from 'vitest';
import { recoveryTable } from './recovery-table.js';
import { runChaos } from './run.js';

/** Long enough for the schedule to reach every target once (see schedule.ts), short enough for CI. */
const BOUNDED_DURATION_MS = 50_000;

it('loses, repeats and reorders nothing while every component is killed and restarted', async () => {
  const seed = Number(process.env['CHAOS_SEED'] ?? 20261121);
  const report = await runChaos({ seed, durationMs: BOUNDED_DURATION_MS, clients: 6 });
  // Printed so the figures of every CI run are in its log.
  const { recovery, ...figures } = report;
  process.stdout.write(`chaos (seed ${seed}): ${JSON.stringify({ ...figures, problems: report.problems.length })}\n`);
  process.stdout.write(`${recoveryTable(recovery, report.settledMs, report.durationMs).join('\n')}\n`);
  expect(report.problems).toEqual([]);
  expect({ lost: report.lost, duplicated: report.duplicated, outOfOrder: report.outOfOrder }).toEqual({
    lost: 0,
    duplicated: 0,
    outOfOrder: 0,
  });
  expect(report.committedChanges).toBeGreaterThan(100);
  expect(report.delivered).toBeGreaterThan(report.committedChanges);
  // The second table, written in the orders' transactions: its own verdict, and it was exercised.
  for (const figures of Object.values(report.tables))
    expect({ lost: figures.lost, duplicated: figures.duplicated, outOfOrder: figures.outOfOrder }).toEqual({
      lost: 0,
      duplicated: 0,
      outOfOrder: 0,
    });
  expect(report.tables.order_lines.committedChanges).toBeGreaterThan(100);
  expect(report.tables.order_lines.delivered).toBeGreaterThan(report.tables.order_lines.committedChanges);
  expect(Object.keys(report.kills).sort()).toEqual(['connect', 'kafka', 'postgres', 'ws-a', 'ws-b']);
  // Every fault's recovery was measured: each kill has its figures, and the run settled, so none is missing.
  expect(recovery.faults).toHaveLength(Object.values(report.kills).reduce((sum, n) => sum + n, 0));
  expect(recovery.episodes.filter((e) => e.deliveredMs === null)).toEqual([]);
}, 600_000);
