/** The fan-out result as tables (pure). */
import { formatNumber, table } from '../harness/results.js';
import { formatProfileSummary } from '../harness/profile-summary.js';
import type { FanoutResult } from './run.js';

const kib = (bytes: number) => bytes / 1_024;

export function formatFanout(result: FanoutResult): string {
  const rows: (string | number)[][] = [
    ['clients', 'server', 'RSS/conn KiB', 'burst deliv/s', 'µs CPU/deliv', 'server CPU', 'client CPU', 'machine CPU', 'commit→last ms', 'steady deliv/s', 'offered/s', 'server CPU', 'drain ms', 'closed'],
  ];
  for (const step of result.steps) {
    for (const run of Object.values(step.runs)) {
      if (!run) continue;
      const updates = run.bursts.filter((b) => b.kind === 'update');
      const weighted = (pick: (b: (typeof run.bursts)[number]) => number) =>
        run.bursts.reduce((s, b) => s + pick(b) * b.windowMs, 0) / Math.max(1, run.bursts.reduce((s, b) => s + b.windowMs, 0));
      const cpuPerDelivery = run.bursts.reduce((s, b) => s + b.serverCpuUsPerDelivery * b.deliveries, 0) / Math.max(1, run.bursts.reduce((s, b) => s + b.deliveries, 0));
      const worstCommitToLast = Math.max(...(updates.length ? updates : run.bursts).map((b) => b.commitToLastMs));
      const closed = Object.values(run.closes).reduce((a, b) => a + b, 0);
      rows.push([
        step.clients,
        run.server,
        kib(run.idle.rssPerConnectionBytes),
        run.burstDeliveriesPerSecond,
        cpuPerDelivery,
        weighted((b) => b.serverCpuShare),
        weighted((b) => b.clientCpuShare),
        weighted((b) => b.machineBusyCores),
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
    `fan-out: bursts of ${result.options.burstSize} changes in one transaction (insert, ${result.options.bursts} × update, delete); steady ${result.options.rate} changes/s for ${result.options.steadySeconds} s; Socket.IO clients: ${result.options.socketioClient} — ${result.machine.cores} × ${result.machine.cpu}`,
    '',
    table(rows),
    '',
    ...result.steps.map((step) => `${step.clients} clients: ours ÷ Socket.IO, burst deliveries/s: ${step.burstRatio === null ? '–' : `×${formatNumber(step.burstRatio)}`}`),
    `targets: ≥ ${formatNumber(result.targets.deliveriesPerSecondAt10k)} deliveries/s at 10k clients under bursts and ≥ ×${result.targets.ratioVsSocketio} Socket.IO; ≤ ${kib(result.targets.rssPerIdleConnectionBytesAt10k)} KiB RSS per idle connection at 10k`,
    'deliveries are frames received by the clients. Burst columns: all bursts together (deliveries ÷ the sum of first→last delivery windows); CPU in cores over those windows, from /proc',
    '(server and client fleet processes; machine = every process, Kafka, Connect, Postgres and anyone else included); commit→last = worst update burst. Steady columns: the steady phase.',
    '"closed" counts connections the server closed (4008 = slow consumer).',
  ];
  for (const step of result.steps) {
    for (const run of Object.values(step.runs)) {
      if (run?.profile) lines.push('', `${run.server} at ${step.clients} clients, ${formatProfileSummary(run.profile)}`);
    }
  }
  return lines.join('\n');
}
