/**
 * The fault schedule: which component is killed (SIGKILL) when, and when it comes back. Pure.
 *
 *   time ──▶
 *   ws-a      ████ down ████                      ██ down ██
 *   kafka                      ███ down ███
 *   connect                         █ down █      (sometimes two faults overlap)
 *   postgres                                              ███ down ███
 *
 * Every target is hit at least once when the run is long enough; down times are a few seconds.
 */
import { between, pick, type Random } from '@orders-live/testkit';

export const TARGETS = ['ws-a', 'ws-b', 'connect', 'kafka', 'postgres'] as const;
export type Target = (typeof TARGETS)[number];

export interface Fault {
  readonly target: Target;
  /** ms after the start of the run */
  readonly killAt: number;
  readonly restartAt: number;
}

/** Down for 1–6 s: long enough that changes pile up behind the dead part. */
const DOWN_MS: readonly [number, number] = [1_000, 6_000];
/** Quiet time after a restart before the next fault, so each one is observed on its own (mostly). */
const GAP_MS: readonly [number, number] = [3_000, 10_000];
/**
 * The first round (every target once) is packed tighter, so that a run of 50 s hits all five:
 * at most 5 s start + 5 × (4 s down + 3 s gap) before the last restart.
 */
const FIRST_ROUND_DOWN_MS: readonly [number, number] = [1_000, 4_000];
const FIRST_ROUND_GAP_MS: readonly [number, number] = [1_000, 3_000];
/** Share of faults that start while the previous one is still down. */
const OVERLAP_SHARE = 0.25;

export function faultSchedule(durationMs: number, random: Random): Fault[] {
  const faults: Fault[] = [];
  // First pass in a shuffled order so short runs still hit every target once.
  const order = [...TARGETS].sort(() => random() - 0.5);
  let at = between(2_000, 5_000, random);
  for (let i = 0; at < durationMs - DOWN_MS[1] - 2_000; i++) {
    const firstRound = i < order.length;
    const target = firstRound ? order[i]! : pick(TARGETS, random);
    const [downLow, downHigh] = firstRound ? FIRST_ROUND_DOWN_MS : DOWN_MS;
    const [gapLow, gapHigh] = firstRound ? FIRST_ROUND_GAP_MS : GAP_MS;
    const down = between(downLow, downHigh, random);
    faults.push({ target, killAt: at, restartAt: at + down });
    const overlaps = random() < OVERLAP_SHARE;
    at = overlaps ? at + Math.floor(down / 2) : at + down + between(gapLow, gapHigh, random);
  }
  // Two overlapping faults never hit the same target.
  return faults.filter((fault, i) => !faults.slice(0, i).some((f) => f.target === fault.target && f.restartAt > fault.killAt));
}
