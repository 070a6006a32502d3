import { describe, expect, it } from 'vitest';
import { LatencyHistogram, promHistogramQuantile, quantilesOf, summarize } from './stats.js';

describe('summarize', () => {
  it('gives nearest-rank percentiles of a list', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, shuffled order
    expect(summarize(samples)).toEqual({ count: 100, min: 1, mean: 50.5, p50: 50, p90: 90, p99: 99, max: 100 });
  });

  it('is empty-safe', () => {
    expect(summarize([]).count).toBe(0);
    expect(quantilesOf([])).toEqual([]);
  });
});

describe('LatencyHistogram', () => {
  it('agrees with exact percentiles to within a bucket step', () => {
    const histogram = new LatencyHistogram();
    const samples: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const value = i < 9_000 ? 1 + (i % 90) / 10 : 150 + (i % 1_000);
      samples.push(value);
      histogram.record(value);
    }
    const exact = summarize(samples);
    const approx = histogram.summary();
    expect(approx.count).toBe(exact.count);
    expect(Math.abs(approx.p50 - exact.p50)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(approx.p90 - exact.p90)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(approx.p99 - exact.p99)).toBeLessThanOrEqual(1);
    expect(approx.max).toBe(exact.max);
    expect(approx.min).toBe(exact.min);
  });

  it('keeps a negative minimum (clock noise) but buckets it at 0', () => {
    const histogram = new LatencyHistogram();
    histogram.record(-0.3);
    histogram.record(2);
    expect(histogram.summary().min).toBe(-0.3);
    expect(histogram.quantile(0.5)).toBeCloseTo(0, 1);
  });
});

describe('promHistogramQuantile', () => {
  it('interpolates inside the bucket like histogram_quantile', () => {
    const buckets = [
      { le: 5, count: 0 },
      { le: 10, count: 50 },
      { le: 20, count: 100 },
      { le: Infinity, count: 100 },
    ];
    expect(promHistogramQuantile(buckets, 0.5)).toBe(10);
    expect(promHistogramQuantile(buckets, 0.75)).toBe(15);
    expect(promHistogramQuantile(buckets, 0.25)).toBe(7.5);
  });
});
