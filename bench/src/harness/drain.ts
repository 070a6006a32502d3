/**
 * Waiting for a load's deliveries to finish arriving at the clients: poll the fleet's stats until
 * everything expected is in and nothing new has come for a settle time, or nothing new has come for a
 * (longer) stall time at all (whatever is missing is not coming), or the timeout passed, or the run is
 * told to stop. The stats source and the clock are passed in, so the rule is tested without a fleet.
 */
import { sleep } from './clock.js';

interface DrainClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** When a drain ends, apart from what counts as complete: each benchmark keeps its own. */
export interface DrainTiming {
  /** Quiet this long once complete: done. */
  readonly settledMs: number;
  /** Quiet this long, complete or not: the rest is not coming. */
  readonly stalledMs: number;
  /** Longest a drain lasts, however busy the clients still are. */
  readonly timeoutMs: number;
  readonly pollMs: number;
}

export interface DrainOptions<S extends { readonly deliveries: number }> extends DrainTiming {
  readonly stats: () => Promise<S>;
  /** Whether these stats hold every delivery expected. */
  readonly complete: (stats: S) => boolean;
  readonly stop?: () => boolean;
  readonly clock?: DrainClock;
}

const realClock: DrainClock = { now: () => performance.now(), sleep };

/** The last stats read, and how long the drain took. */
export async function drainDeliveries<S extends { readonly deliveries: number }>(
  options: DrainOptions<S>,
): Promise<{ stats: S; elapsedMs: number }> {
  const clock = options.clock ?? realClock;
  const started = clock.now();
  let lastDeliveries = -1;
  let lastChangeAt = started;
  for (;;) {
    const stats = await options.stats();
    if (stats.deliveries !== lastDeliveries) {
      lastDeliveries = stats.deliveries;
      lastChangeAt = clock.now();
    }
    const quietMs = clock.now() - lastChangeAt;
    if (
      (options.complete(stats) && quietMs >= options.settledMs) ||
      quietMs >= options.stalledMs ||
      clock.now() - started > options.timeoutMs ||
      options.stop?.() === true
    )
      return { stats, elapsedMs: clock.now() - started };
    await clock.sleep(options.pollMs);
  }
}
