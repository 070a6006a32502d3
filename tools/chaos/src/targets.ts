/**
 * The recovery targets (issue "Recovery time under faults"), checked against a run's episodes of
 * one fault each that no other fault's effect overlapped (not disturbed, see recovery.ts). Pure. Each target says which of an episode's figures it bounds:
 *   fromKill      kill → a change committed after it reached every client
 *   afterServing  the component serving again → that change reached every client
 */
import type { EpisodeRecovery } from './recovery.js';

interface RecoveryTarget {
  readonly kind: string;
  readonly measure: 'fromKill' | 'afterServing';
  readonly limitMs: number;
  readonly description: string;
}

const RECOVERY_TARGETS: readonly RecoveryTarget[] = [
  // Clients move to the other replica (or the restarted one) and resume from their cursor.
  { kind: 'ws-a', measure: 'fromKill', limitMs: 2_000, description: '2 s from the kill' },
  { kind: 'ws-b', measure: 'fromKill', limitMs: 2_000, description: '2 s from the kill' },
  { kind: 'kafka', measure: 'afterServing', limitMs: 15_000, description: '15 s after Kafka is back' },
  { kind: 'connect', measure: 'fromKill', limitMs: 25_000, description: '25 s from the kill' },
  { kind: 'postgres', measure: 'afterServing', limitMs: 10_000, description: '10 s after Postgres accepts connections' },
];

/** A 90 s fault schedule settles (every client has every change) within this long after it ends. */
export const SETTLE_TARGET_MS = 180_000;

interface TargetVerdict {
  readonly target: RecoveryTarget;
  /** The worst undisturbed episode of the kind; null when the run had none or one never recovered. */
  readonly worstMs: number | null;
  /** Undisturbed episodes of the kind (no other fault's effect overlapped theirs). */
  readonly episodes: number;
  /** Disturbed episodes of the kind: not held to the target. */
  readonly disturbed: number;
  readonly met: boolean;
}

export function checkTargets(episodes: readonly EpisodeRecovery[]): TargetVerdict[] {
  return RECOVERY_TARGETS.map((target) => {
    const all = episodes.filter((e) => e.kind === target.kind);
    const mine = all.filter((e) => !e.disturbed);
    const figures = mine.map((e) => (target.measure === 'fromKill' ? e.deliveredMs : e.afterServingMs));
    const worstMs = figures.some((f) => f === null) || figures.length === 0 ? null : Math.max(...(figures as number[]));
    return {
      target,
      worstMs,
      episodes: mine.length,
      disturbed: all.length - mine.length,
      met: worstMs !== null && worstMs <= target.limitMs,
    };
  });
}
