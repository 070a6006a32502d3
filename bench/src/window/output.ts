/** The window benchmark's result as a table, next to the targets. */
import { table } from '../harness/results.js';
import type { WindowResult } from './run.js';

const ms = (value: number | null | undefined) =>
  value === null || value === undefined || Number.isNaN(value) ? '–' : `${Math.round(value)} ms`;

export function formatWindow(result: WindowResult): string {
  const { options, subscribe, diffs, bigTransaction, targets } = result;
  const rows: (string | number)[][] = [
    ['measure', 'p50', 'p99', 'max', 'target'],
    ['subscribe → window complete', ms(subscribe.ms.p50), ms(subscribe.ms.p99), ms(subscribe.ms.max), `≤ ${targets.subscribeMs} ms`],
    [
      'window bytes',
      Math.round(subscribe.bytes.p50),
      Math.round(subscribe.bytes.p99),
      Math.round(subscribe.bytes.max),
      `≤ ${targets.windowBytes}`,
    ],
    [
      'change → diff at the client',
      ms(diffs.latencyMs.p50),
      ms(diffs.latencyMs.p99),
      ms(diffs.latencyMs.max),
      `p99 ≤ ${targets.diffP99Ms} ms`,
    ],
  ];
  if (bigTransaction)
    rows.push([
      `${bigTransaction.rows}-row transaction → windows`,
      ms(bigTransaction.windowClientsMs.p50),
      ms(bigTransaction.windowClientsMs.p99),
      ms(bigTransaction.windowClientsMs.max),
      `≤ ${targets.bigTransactionMs} ms`,
    ]);
  return [
    `window benchmark: ${options.rows} rows, ${options.clients} clients (${options.typed} typed, timed) on ${options.windows} windows of ${options.limit}, ${options.rate} changes/s for ${options.duration} s`,
    table(rows),
    `service CPU under load: ${result.serviceCpuCores.toFixed(2)} cores; ${diffs.committed} changes committed; diffs: ${diffs.applied} applied and timed by the ${options.typed} typed clients, ${diffs.counted} counted by the raw clients (${diffs.countedPerSecond}/s); ${subscribe.failed} subscribes failed; ${result.invalidFrames} invalid frames`,
    bigTransaction
      ? `${bigTransaction.rows}-row transaction: commit → its last record in Kafka ${ms(bigTransaction.kafkaMs)}, → all of it at a table client ${ms(bigTransaction.tableClientMs)} (target ≤ ${targets.bigTransactionMs} ms)`
      : '',
  ].join('\n');
}
