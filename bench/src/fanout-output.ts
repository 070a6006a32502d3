/** The fan-out result as tables (pure). */
import { formatNumber, table } from './results.js';
import { formatProfileSummary } from './profile-summary.js';
import type { FanoutResult } from './fanout-run.js';

const kib = (bytes: number) => bytes / 1_024;

export function formatFanout(result: FanoutResult): string {
  const rows: (string | number)[][] = [
    ['clients', 'server', 'RSS/conn KiB', 'heap/conn KiB', 'burst deliv/s', 'burst µs CPU/deliv', 'burst commit→last ms', 'steady deliv/s', 'steady offered/s', 'steady CPU', 'steady drain ms', 'closed'],
  ];
  for (const step of result.steps) {
    for (const run of Object.values(step.runs)) {
      if (!run) continue;
      const updates = run.bursts.filter((b) => b.kind === 'update');
      const heap = run.idle.heapIdleBytes !== null && run.idle.heapBeforeBytes !== null ? kib((run.idle.heapIdleBytes - run.idle.heapBeforeBytes) / run.clients.ready) : NaN;
      const cpuPerDelivery = run.bursts.reduce((s, b) => s + b.serverCpuUsPerDelivery * b.deliveries, 0) / Math.max(1, run.bursts.reduce((s, b) => s + b.deliveries, 0));
      const worstCommitToLast = Math.max(...(updates.length ? updates : run.bursts).map((b) => b.commitToLastMs));
      const closed = Object.values(run.closes).reduce((a, b) => a + b, 0);
      rows.push([
        step.clients,
        run.server,
        kib(run.idle.rssPerConnectionBytes),
        heap,
        run.burstDeliveriesPerSecond,
        cpuPerDelivery,
        worstCommitToLast,
        run.steady ? run.steady.deliveriesPerSecond : NaN,
        run.steady ? run.steady.offeredDeliveriesPerSecond : NaN,
        run.steady ? run.steady.serverCpuShare : NaN,
        run.steady ? run.steady.backlogDrainMs : NaN,
        closed,
      ]);
    }
  }
  const lines = [
    `fan-out: bursts of ${result.options.burstSize} changes in one transaction (insert, ${result.options.bursts} × update, delete); steady ${result.options.rate} changes/s for ${result.options.steadySeconds} s — ${result.machine.cores} × ${result.machine.cpu}`,
    '',
    table(rows),
    '',
    ...result.steps.map((step) => `${step.clients} clients: ours ÷ Socket.IO, burst deliveries/s: ${step.burstRatio === null ? '–' : `×${formatNumber(step.burstRatio)}`}`),
    `targets: ≥ ${formatNumber(result.targets.deliveriesPerSecondAt10k)} deliveries/s at 10k clients under bursts and ≥ ×${result.targets.ratioVsSocketio} Socket.IO; ≤ ${kib(result.targets.rssPerIdleConnectionBytesAt10k)} KiB RSS per idle connection at 10k`,
    'columns: deliveries are frames received by clients; CPU is the server process (user+system) from /proc; "closed" counts connections the server closed (e.g. 4008 slow consumer)',
  ];
  for (const step of result.steps) {
    for (const run of Object.values(step.runs)) {
      if (run?.profile) lines.push('', `${run.server} at ${step.clients} clients, ${formatProfileSummary(run.profile)}`);
    }
  }
  return lines.join('\n');
}
