/** The fan-out result as tables (pure). */
import { formatNumber, table } from '../harness/results.js';
import { formatProfileSummary } from '../harness/profile-summary.js';
import type { FanoutResult } from './run.js';

const kib = (bytes: number) => bytes / 1_024;

export function formatFanout(result: FanoutResult): string {
  const rows: (string | number)[][] = [
    [
      'clients',
      'server',
      'RSS/conn KiB',
      'burst deliv/s',
      'server cores',
      'deliv/s/core',
      'µs CPU/deliv',
      'client CPU',
      'machine CPU',
      'commit→last ms',
      'steady deliv/s',
      'offered/s',
      'server CPU',
      'drain ms',
      'closed',
    ],
  ];
  for (const step of result.steps) {
    for (const run of Object.values(step.runs)) {
      if (!run) continue;
      const updates = run.bursts.filter((b) => b.kind === 'update');
      const weighted = (pick: (b: (typeof run.bursts)[number]) => number) =>
        run.bursts.reduce((s, b) => s + pick(b) * b.windowMs, 0) /
        Math.max(
          1,
          run.bursts.reduce((s, b) => s + b.windowMs, 0),
        );
      const cpuPerDelivery =
        run.bursts.reduce((s, b) => s + b.serverCpuUsPerDelivery * b.deliveries, 0) /
        Math.max(
          1,
          run.bursts.reduce((s, b) => s + b.deliveries, 0),
        );
      const worstCommitToLast = Math.max(...(updates.length ? updates : run.bursts).map((b) => b.commitToLastMs));
      const closed = Object.values(run.closes).reduce((a, b) => a + b, 0);
      rows.push([
        step.clients,
        run.server,
        kib(run.idle.rssPerConnectionBytes),
        run.burstDeliveriesPerSecond,
        run.burst.serverCores,
        run.burst.deliveriesPerCore,
        cpuPerDelivery,
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
  const times = (value: number | null) => (value === null ? '–' : `×${formatNumber(value)}`);
  const lines = [
    `fan-out: bursts of ${result.options.burstSize} changes in one transaction (insert, ${result.options.bursts} × update, delete); steady ${result.options.rate} changes/s for ${result.options.steadySeconds} s; Socket.IO clients: ${result.options.socketioClient} — ${result.machine.cores} × ${result.machine.cpu}`,
    '',
    table(rows),
    '',
    ...result.steps.map(
      ({ clients, ratios }) =>
        `${clients} clients, bursts: ours ÷ Socket.IO ${times(ratios.vsSocketio.deliveriesPerSecond)} deliveries/s, ${times(ratios.vsSocketio.deliveriesPerCore)} per core; ` +
        `ours ÷ seed ${times(ratios.vsSeed.deliveriesPerSecond)} deliveries/s, ${times(ratios.vsSeed.deliveriesPerCore)} per core`,
    ),
    `targets: ≥ ${formatNumber(result.targets.deliveriesPerServerCore)} burst deliveries/s per core of server CPU and ≥ ×${result.targets.ratioVsSocketio} Socket.IO (issue 19); ≥ ${formatNumber(result.targets.deliveriesPerSecondAt10k)} deliveries/s at 10k clients; ≤ ${kib(result.targets.rssPerIdleConnectionBytesAt10k)} KiB RSS per idle connection at 10k`,
    'deliveries are changes received by the clients (seed: a frame per change per client; ours: counted in each transaction frame). Burst columns: all bursts together (deliveries ÷ the sum of first→last delivery windows);',
    "server cores = server CPU seconds (from /proc, sampled around each burst's commit and drain) ÷ the bursts' commit→last delivery spans; deliv/s/core = deliveries ÷ server CPU seconds (what one busy core would deliver).",
    'Other CPU columns in cores over the first→last windows',
    '(server and client fleet processes; machine = every process, Kafka, Connect, Postgres and anyone else included); commit→last = worst update burst. Steady columns: the steady phase.',
    '"closed" counts connections the server closed (4008 = slow consumer).',
  ];
  if (result.failures.length > 0) lines.push('', 'FAILED, measured nothing:', ...result.failures.map((failure) => `  ${failure}`));
  for (const step of result.steps) {
    for (const run of Object.values(step.runs)) {
      if (run?.profile) lines.push('', `${run.server} at ${step.clients} clients, ${formatProfileSummary(run.profile)}`);
    }
  }
  return lines.join('\n');
}
