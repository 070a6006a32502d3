/**
 * Changes per second and commit → screen latency per second over the last minute, for the rate
 * chart. Pure: every call takes the time (epoch ms), so tests drive it with a fake clock.
 *
 * A change is counted in the second it was shown. Counts and maxima are exact; the median is of up
 * to MAX_SAMPLES_PER_SECOND latencies per second (the first ones), which bounds memory in a burst.
 */

/** The chart shows the last 60 s, one point per second, the last being the current (partial) second. */
export const RATE_WINDOW_SECONDS = 60;
/** Latencies kept per second for the median: far above what a page shows, bounded all the same. */
const MAX_SAMPLES_PER_SECOND = 5_000;

const SECOND_MS = 1_000;

export interface RatePoint {
  /** Epoch ms at which the second starts. */
  readonly startMs: number;
  /** Changes shown in that second. */
  readonly count: number;
  /** Median commit → screen latency; undefined without changes. */
  readonly p50Ms: number | undefined;
  readonly maxMs: number | undefined;
}

interface RateSummary {
  /** Changes over the whole window. */
  readonly total: number;
  /** The busiest second's count. */
  readonly peakPerSecond: number;
  /** The median latency of the latest second that had changes; undefined when none had. */
  readonly latestP50Ms: number | undefined;
  /** The highest latency over the window. */
  readonly maxMs: number | undefined;
}

interface Bucket {
  count: number;
  max: number;
  readonly samples: number[];
}

export class RateStats {
  readonly #buckets = new Map<number, Bucket>();

  /**
   * `count` changes shown at `shownAt`, `latencyMs` after their commit (one transaction: one sample);
   * latency undefined for a replay, which counts as changes but is no measure of the pipeline.
   */
  record(shownAt: number, latencyMs: number | undefined, count = 1): void {
    const second = Math.floor(shownAt / SECOND_MS);
    this.#prune(second);
    let bucket = this.#buckets.get(second);
    if (!bucket) {
      bucket = { count: 0, max: -Infinity, samples: [] };
      this.#buckets.set(second, bucket);
    }
    bucket.count += count;
    if (latencyMs === undefined) return;
    bucket.max = Math.max(bucket.max, latencyMs);
    if (bucket.samples.length < MAX_SAMPLES_PER_SECOND) bucket.samples.push(latencyMs);
  }

  /** RATE_WINDOW_SECONDS points, oldest first, the last one for the second `now` is in. */
  series(now: number): RatePoint[] {
    const current = Math.floor(now / SECOND_MS);
    this.#prune(current);
    const points: RatePoint[] = [];
    for (let second = current - RATE_WINDOW_SECONDS + 1; second <= current; second += 1) {
      const bucket = this.#buckets.get(second);
      points.push({
        startMs: second * SECOND_MS,
        count: bucket?.count ?? 0,
        p50Ms: bucket ? median(bucket.samples) : undefined,
        maxMs: bucket && bucket.samples.length > 0 ? bucket.max : undefined,
      });
    }
    return points;
  }

  clear(): void {
    this.#buckets.clear();
  }

  /** Drops seconds that left the window (and any far ahead of it: a clock that jumped back). */
  #prune(current: number): void {
    for (const second of this.#buckets.keys()) {
      if (second <= current - RATE_WINDOW_SECONDS || second > current + RATE_WINDOW_SECONDS) this.#buckets.delete(second);
    }
  }
}

export function summarizeRate(points: readonly RatePoint[]): RateSummary {
  let total = 0;
  let peakPerSecond = 0;
  let latestP50Ms: number | undefined;
  let maxMs: number | undefined;
  for (const point of points) {
    total += point.count;
    peakPerSecond = Math.max(peakPerSecond, point.count);
    if (point.p50Ms !== undefined) latestP50Ms = point.p50Ms;
    if (point.maxMs !== undefined) maxMs = Math.max(maxMs ?? -Infinity, point.maxMs);
  }
  return { total, peakPerSecond, latestP50Ms, maxMs };
}

/** The lower median (nearest rank): a value that was measured, never an average of two. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1];
}
