/**
 * The recovery figures as text lines, for the CLI and the test log. Pure.
 */
import type { KindRecovery, RecoveryReport, Stats } from './recovery.js';
import { SETTLE_TARGET_MS, checkTargets } from './targets.js';

const seconds = (ms: number | null) => (ms === null ? '—' : (ms / 1_000).toFixed(1));
const pair = (s: Stats) => `${seconds(s.p50)} / ${seconds(s.max)}`.padEnd(13);

export function recoveryTable(recovery: RecoveryReport, settledMs: number, durationMs: number): string[] {
  const lines = [
    'faults, s after the start: kill → serving again, kill → a later change at every client',
    ...recovery.faults.map(
      (f) =>
        `  ${seconds(f.killAt).padStart(6)}  ${f.target.padEnd(9)} serving ${seconds(f.servingMs).padStart(5)}   delivered ${seconds(f.deliveredMs).padStart(5)} (first client ${seconds(f.firstDeliveredMs)})`,
    ),
    'recovery by kind, s (p50 / max)   n  disturbed  kill→serving   kill→delivered serving→delivered never',
    ...recovery.kinds.map(
      (k: KindRecovery) =>
        `  ${k.kind.padEnd(30)} ${String(k.delivered.count + k.unrecovered).padStart(2)}  ${String(k.disturbed).padStart(9)}  ${pair(k.serving)}  ${pair(k.delivered)}  ${pair(k.afterServing)}  ${k.unrecovered}`,
    ),
    'targets (single faults, not disturbed)',
  ];
  for (const verdict of checkTargets(recovery.episodes)) {
    const worst =
      verdict.episodes === 0
        ? `not hit alone in this run (${verdict.disturbed} disturbed)`
        : `worst ${seconds(verdict.worstMs)} s over ${verdict.episodes}`;
    lines.push(
      `  ${verdict.target.kind.padEnd(10)} ≤ ${verdict.target.description.padEnd(42)} ${worst.padEnd(26)} ${verdict.episodes === 0 ? '' : verdict.met ? 'met' : 'MISSED'}`,
    );
  }
  const settleTarget = durationMs <= 90_000 ? (settledMs <= SETTLE_TARGET_MS ? 'met' : 'MISSED') : '';
  lines.push(
    `  settled (every client has every change) ${seconds(settledMs)} s after the start of a ${seconds(durationMs)} s schedule (target for 90 s: ≤ ${seconds(SETTLE_TARGET_MS)} s) ${settleTarget}`,
  );
  lines.push(
    '  delivered: until a change committed after the (last) kill reached every client; time a client was offline by the run’s choice is not counted',
  );
  lines.push(
    '  disturbed: the episode began before the previous one had recovered, or the next fault struck before it had: its figures include the other’s effect',
  );
  return lines;
}
