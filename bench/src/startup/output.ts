/** The start-up result as a table (pure). */
import { formatProfileSummary } from '../harness/profile-summary.js';
import { table } from '../harness/results.js';
import type { StartupResult } from './run.js';

export function formatStartup(result: StartupResult): string {
  const rows: (string | number)[][] = [
    [
      'table',
      'rows',
      'ready ms (best)',
      'ready ms (all)',
      'rows/s',
      'view rows',
      'RSS MiB',
      'RSS B/row',
      'heap B/row',
      'insert s',
      'snapshot s',
      'topic MiB',
    ],
    [
      '',
      '0 (empty topic)',
      result.empty.readyMs,
      String(result.empty.readyMs),
      NaN,
      result.empty.viewRows,
      result.empty.rssBytes / 2 ** 20,
      NaN,
      NaN,
      NaN,
      NaN,
      NaN,
    ],
  ];
  for (const size of result.sizes) {
    const best = size.starts.find((s) => s.readyMs === size.bestReadyMs) ?? size.starts[0]!;
    rows.push([
      size.table,
      String(size.rows),
      size.bestReadyMs,
      size.starts.map((s) => s.readyMs).join(', '),
      size.rowsPerSecond,
      best.viewRows,
      best.rssBytes / 2 ** 20,
      size.rssPerRowBytes,
      size.heapPerRowBytes ?? NaN,
      size.topic.insertMs / 1_000,
      size.topic.snapshotMs / 1_000,
      size.topic.topicBytes === null ? NaN : size.topic.topicBytes / 2 ** 20,
    ]);
  }
  const warmRows: (string | number)[][] = [
    [
      'table',
      'rows',
      'cold ready ms',
      'warm ready ms',
      'load ms',
      'view rows',
      'checkpoint MiB',
      'write ms',
      'longest pause ms',
      'stop ms',
    ],
  ];
  for (const size of result.sizes) {
    const warm = size.warm;
    if (!warm) continue;
    warmRows.push([
      size.table,
      String(size.rows),
      size.starts[0]!.readyMs,
      warm.readyMs,
      warm.loadMs,
      warm.viewRows,
      warm.checkpointBytes / 2 ** 20,
      warm.writeMs,
      warm.longestPauseMs,
      warm.stopMs,
    ]);
  }
  const lines = [
    `start-up: spawn → /readyz 200 on a topic of N snapshot records — ${result.machine.cores} × ${result.machine.cpu}`,
    '',
    table(rows),
    '',
    `target: ready from a 1M-row topic in ≤ ${result.targets.readyMsAt1M / 1_000} s`,
    '',
    'warm restart: the cold start writes a checkpoint once ready, is stopped (SIGTERM) and started again on it',
    '',
    table(warmRows),
    '',
    `target: ready from a checkpoint of 1M rows in ≤ ${result.targets.warmReadyMsAt1M / 1_000} s`,
    "rows/s: rows ÷ the whole start; B/row: (value with N rows − value on the empty topic) ÷ N, read after the settle time. An empty topic is slow to be ready: the first fetch of an empty partition waits out the service's 1 s fetch wait",
  ];
  for (const size of result.sizes)
    if (size.profile) lines.push('', `service start on ${size.rows} rows, ${formatProfileSummary(size.profile)}`);
  return lines.join('\n');
}
