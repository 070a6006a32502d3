/** The latency result as a table and as a chart (pure). */
import { HOPS, type HopName } from './report.js';
import { formatNumber, table } from '../harness/results.js';
import { percentileChartSvg } from '../harness/svg-chart.js';
import type { Summary } from '../harness/stats.js';
import type { LatencyConfiguration, LatencyResult } from './run.js';

const OURS_COLOR = '#1f6fb4';
const BASELINE_COLOR = '#d4442a';

function row(label: string, summary: Summary | undefined, configuration: string): (string | number)[] {
  return [label, configuration, summary?.count ?? 0, summary?.p50 ?? NaN, summary?.p90 ?? NaN, summary?.p99 ?? NaN, summary?.max ?? NaN];
}

function configurationRows(name: string, c: LatencyConfiguration): (string | number)[][] {
  return [
    ...(Object.keys(HOPS) as HopName[]).map((hop) => row(HOPS[hop], c.hops[hop], name)),
    [
      'commit → service sent (service histogram, bucketed)',
      name,
      c.serviceCommitToSent.count,
      c.serviceCommitToSent.p50,
      c.serviceCommitToSent.p90,
      c.serviceCommitToSent.p99,
      NaN,
    ],
    row('END TO END: commit → client received (every delivery)', c.endToEnd, name),
  ];
}

function settings(c: LatencyConfiguration): string {
  return Object.entries(c.connector)
    .map(([key, value]) => `${key}=${value ?? '(default)'}`)
    .join(', ');
}

function facts(name: string, c: LatencyConfiguration): string {
  const load = c.load;
  return (
    `${name}: ${settings(c)}; ${load.completed} changes committed at ${formatNumber(load.achievedRate)}/s (${load.failed} failed), ` +
    `${c.changes} seen in Kafka, ${c.deliveries} deliveries counted (${c.timedDeliveries} timed by the sample of clients); changes not at every timed client: ${c.incomplete.partial} partial, ${c.incomplete.missing} missing; ` +
    `CPU (cores): service ${c.cpu.service}, clients ${c.cpu.clients}, benchmark ${c.cpu.benchmark}, whole machine ${c.cpu.machine} of ${c.cpu.cores}; ` +
    `service ${c.cpu.serviceMsPerThousandDeliveries} ms CPU per 1,000 deliveries` +
    (c.connectorUnchangedDuringRun ? '' : '; WARNING: the connector config changed during this measurement (someone re-registered it?)')
  );
}

export function formatLatency(result: LatencyResult): string {
  const rows: (string | number)[][] = [
    ['hop (ms)', 'config', 'count', 'p50', 'p90', 'p99', 'max'],
    ...configurationRows('ours', result.ours),
  ];
  if (result.baseline) rows.push(...configurationRows('baseline', result.baseline));
  const lines = [
    `latency: ${result.clientsConnected.ready} clients, ${result.options.rate} changes/s, ${result.options.duration} s per configuration — ${result.machine.cores} × ${result.machine.cpu}`,
    '',
    table(rows),
    '',
    facts('ours', result.ours),
  ];
  if (result.baseline) {
    lines.push(facts('baseline', result.baseline));
    const ratio = (pick: (s: Summary) => number) => pick(result.baseline!.endToEnd) / pick(result.ours.endToEnd);
    lines.push(`end to end, baseline ÷ ours: p50 ×${formatNumber(ratio((s) => s.p50))}, p99 ×${formatNumber(ratio((s) => s.p99))}`);
  }
  lines.push(
    `targets: p50 ≤ ${result.targets.p50Ms} ms (ours ${formatNumber(result.ours.endToEnd.p50)}), p99 ≤ ${result.targets.p99Ms} ms (ours ${formatNumber(result.ours.endToEnd.p99)})`,
    `witness (typed client): ${result.witness.applied} changes applied, ${result.witness.outOfOrder} out of order`,
  );
  return lines.join('\n');
}

export function latencyChart(result: LatencyResult): string {
  const series = [{ label: `ours (${settings(result.ours)})`, color: OURS_COLOR, quantiles: result.ours.endToEndQuantiles }];
  if (result.baseline)
    series.push({ label: 'baseline (connector defaults)', color: BASELINE_COLOR, quantiles: result.baseline.endToEndQuantiles });
  return percentileChartSvg({
    title: 'Postgres commit → WebSocket client received, every delivery',
    subtitle: `${result.clientsConnected.ready} clients, ${result.options.rate} changes/s, ${result.options.duration} s each; ${result.machine.cores} cores, ${result.machine.cpu}; ${result.startedAt}`,
    series,
    references: [
      { label: `target p50 ${result.targets.p50Ms} ms`, ms: result.targets.p50Ms },
      { label: `target p99 ${result.targets.p99Ms} ms`, ms: result.targets.p99Ms },
    ],
  });
}
