/**
 * Latency distributions. Two forms, same summary:
 *   summarize(samples)  exact percentiles of a list (per-change hops: tens of thousands of values);
 *   LatencyHistogram    fixed buckets for per-delivery latencies (tens of millions of values):
 *                       0.02 ms steps below 100 ms, 1 ms steps up to 10 minutes.
 * Percentiles are nearest-rank. Pure.
 */

export interface Summary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** Quantile levels kept for charts: dense in the tail, where latency plots are read. */
const CHART_QUANTILES: readonly number[] = [
  0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.925, 0.95, 0.96, 0.97, 0.98, 0.99, 0.993, 0.995, 0.997, 0.999, 0.9995,
  0.9999, 1,
];

const EMPTY_SUMMARY: Summary = { count: 0, min: NaN, mean: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN };

const round = (value: number): number => Math.round(value * 1_000) / 1_000;

function rank(count: number, q: number): number {
  return Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1));
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) return EMPTY_SUMMARY;
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  const at = (q: number) => round(sorted[rank(sorted.length, q)]!);
  return {
    count: sorted.length,
    min: round(sorted[0]!),
    mean: round(sum / sorted.length),
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: round(sorted[sorted.length - 1]!),
  };
}

/** [quantile, value] pairs at CHART_QUANTILES. */
export function quantilesOf(samples: readonly number[]): [number, number][] {
  if (samples.length === 0) return [];
  const sorted = Float64Array.from(samples).sort();
  return CHART_QUANTILES.map((q) => [q, round(sorted[rank(sorted.length, q)]!)]);
}

const FINE_STEP_MS = 0.02;
const FINE_LIMIT_MS = 100;
const COARSE_STEP_MS = 1;
const COARSE_LIMIT_MS = 600_000;
const FINE_BUCKETS = Math.round(FINE_LIMIT_MS / FINE_STEP_MS);
const BUCKETS = FINE_BUCKETS + Math.round((COARSE_LIMIT_MS - FINE_LIMIT_MS) / COARSE_STEP_MS) + 1;

export class LatencyHistogram {
  readonly #counts = new Uint32Array(BUCKETS);
  #count = 0;
  #sum = 0;
  #min = Infinity;
  #max = -Infinity;

  get count(): number {
    return this.#count;
  }

  /** Records a value in ms (negatives count as 0 in the buckets; min keeps the true value). */
  record(ms: number): void {
    this.#count += 1;
    this.#sum += ms;
    if (ms < this.#min) this.#min = ms;
    if (ms > this.#max) this.#max = ms;
    this.#counts[LatencyHistogram.bucketOf(ms)]! += 1;
  }

  static bucketOf(ms: number): number {
    if (!(ms > 0)) return 0;
    if (ms < FINE_LIMIT_MS) return Math.floor(ms / FINE_STEP_MS);
    return Math.min(BUCKETS - 1, FINE_BUCKETS + Math.floor((ms - FINE_LIMIT_MS) / COARSE_STEP_MS));
  }

  /** The middle of a bucket: within half a step of every value in it. */
  static valueOf(bucket: number): number {
    if (bucket < FINE_BUCKETS) return (bucket + 0.5) * FINE_STEP_MS;
    return FINE_LIMIT_MS + (bucket - FINE_BUCKETS + 0.5) * COARSE_STEP_MS;
  }

  quantile(q: number): number {
    if (this.#count === 0) return NaN;
    if (q <= 0) return this.#min;
    if (q >= 1) return this.#max;
    const target = rank(this.#count, q) + 1;
    let seen = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      seen += this.#counts[bucket]!;
      if (seen >= target) return Math.min(this.#max, Math.max(this.#min, LatencyHistogram.valueOf(bucket)));
    }
    return this.#max;
  }

  summary(): Summary {
    if (this.#count === 0) return EMPTY_SUMMARY;
    return {
      count: this.#count,
      min: round(this.#min),
      mean: round(this.#sum / this.#count),
      p50: round(this.quantile(0.5)),
      p90: round(this.quantile(0.9)),
      p99: round(this.quantile(0.99)),
      max: round(this.#max),
    };
  }

  quantiles(): [number, number][] {
    if (this.#count === 0) return [];
    return CHART_QUANTILES.map((q) => [q, round(this.quantile(q))]);
  }
}

/**
 * Percentiles of a Prometheus histogram (cumulative bucket counts by upper bound), interpolated
 * linearly inside the bucket, as Prometheus' histogram_quantile does. Coarse: only as good as the
 * buckets.
 */
export function promHistogramQuantile(buckets: readonly { le: number; count: number }[], q: number): number {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total === 0) return NaN;
  const target = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const { le, count } of sorted) {
    if (count >= target) {
      if (!Number.isFinite(le)) return lowerBound;
      const inBucket = count - lowerCount;
      return round(inBucket === 0 ? le : lowerBound + ((le - lowerBound) * (target - lowerCount)) / inBucket);
    }
    lowerBound = le;
    lowerCount = count;
  }
  return lowerBound;
}
