/**
 * The recovery figures as text lines, for the CLI and the test log. Pure.
 */
import type { KindRecovery, RecoveryReport, Stats } from './recovery.js';
import { SETTLE_TARGET_MS, checkTargets } from './targets.js';

const seconds = (ms: number | null) => (ms === null ? '—' : (ms / 1_000).toFixed(1));
const pair = (s: Stats) => `${seconds(s.p50)} / ${seconds(s.max)}`.padEnd(13);

export function recoveryTable(recovery: RecoveryReport, settledMs: number, durationMs: number): string[] {
  const lines = [
    'recovery, s (p50 / max)     n  kill→serving   kill→delivered serving→delivered never',
    ...recovery.kinds.map((k: KindRecovery) =>
      `  ${k.kind.padEnd(24)} ${String(k.delivered.count + k.unrecovered).padStart(2)}  ${pair(k.serving)}  ${pair(k.delivered)}  ${pair(k.afterServing)}  ${k.unrecovered}`,
    ),
    'targets (single faults)',
  ];
  for (const verdict of checkTargets(recovery.episodes)) {
    const worst = verdict.episodes === 0 ? 'not hit alone in this run' : `worst ${seconds(verdict.worstMs)} s over ${verdict.episodes}`;
    lines.push(`  ${verdict.target.kind.padEnd(10)} ≤ ${verdict.target.description.padEnd(42)} ${worst.padEnd(26)} ${verdict.episodes === 0 ? '' : verdict.met ? 'met' : 'MISSED'}`);
  }
  const settleTarget = durationMs <= 90_000 ? (settledMs <= SETTLE_TARGET_MS ? 'met' : 'MISSED') : '';
  lines.push(`  settled (every client has every change) ${seconds(settledMs)} s after the start of a ${seconds(durationMs)} s schedule (target for 90 s: ≤ ${seconds(SETTLE_TARGET_MS)} s) ${settleTarget}`);
  lines.push('  kill→delivered: until a change committed after the kill reached every client (a client offline by the run’s choice is not counted)');
  return lines;
}
