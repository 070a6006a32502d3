/**
 * Open-loop load: operation i is due at start + i / rate, whether or not earlier ones are done
 * (a closed loop would slow down exactly when the system does, and hide it). Operations run
 * concurrently up to the pool's size; the pool queues the rest.
 */
import { sleep } from './clock.js';

export interface LoadResult {
  readonly issued: number;
  readonly completed: number;
  readonly failed: number;
  readonly firstError: string | undefined;
  /** Seconds from the first operation to the last one's completion. */
  readonly seconds: number;
  /** Operations per second actually issued. */
  readonly achievedRate: number;
  /** Most operations in flight at once (pool size + queue). */
  readonly maxInFlight: number;
}

/** How often the scheduler looks at the clock: operations due in between go out together. */
const TICK_MS = 1;

export async function runOpenLoop(rate: number, durationMs: number, operation: (i: number) => Promise<void>, shouldStop: () => boolean = () => false): Promise<LoadResult> {
  const total = Math.round((rate * durationMs) / 1_000);
  const started = performance.now();
  let issued = 0;
  let completed = 0;
  let failed = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let firstError: string | undefined;
  const running = new Set<Promise<void>>();
  while (issued < total && !shouldStop()) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1_000) + 1);
    while (issued < due) {
      const i = issued++;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const done: Promise<void> = operation(i).then(
        () => {
          completed += 1;
        },
        (err: unknown) => {
          failed += 1;
          firstError ??= err instanceof Error ? err.message : String(err);
        },
      ).finally(() => {
        inFlight -= 1;
        running.delete(done);
      });
      running.add(done);
    }
    await sleep(TICK_MS);
  }
  await Promise.all(running);
  const seconds = (performance.now() - started) / 1_000;
  return { issued, completed, failed, firstError, seconds, achievedRate: issued / seconds, maxInFlight };
}
