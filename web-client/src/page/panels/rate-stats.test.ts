import { describe, expect, it } from 'vitest';
import { median, RATE_WINDOW_SECONDS, RateStats, summarizeRate } from './rate-stats.js';

/** A fake clock: epoch ms, moved by the test. */
function fakeClock(start: number) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const START = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('RateStats', () => {
  it('counts changes per second, with the median and max latency of each second', () => {
    const clock = fakeClock(START);
    const stats = new RateStats();
    stats.record(clock.now(), 40);
    clock.advance(100);
    stats.record(clock.now(), 10);
    clock.advance(100);
    stats.record(clock.now(), 30);
    clock.advance(1_000);
    stats.record(clock.now(), 7);

    const points = stats.series(clock.now());
    expect(points).toHaveLength(RATE_WINDOW_SECONDS);
    expect(points.at(-1)).toEqual({ startMs: START + 1_000, count: 1, p50Ms: 7, maxMs: 7 });
    expect(points.at(-2)).toEqual({ startMs: START, count: 3, p50Ms: 30, maxMs: 40 });
    expect(points.at(-3)).toEqual({ startMs: START - 1_000, count: 0, p50Ms: undefined, maxMs: undefined });
    expect(points[0]?.startMs).toBe(START + 1_000 - 59_000);
  });

  it('forgets changes once they are more than 60 s old', () => {
    const clock = fakeClock(START);
    const stats = new RateStats();
    stats.record(clock.now(), 5);
    clock.advance(59_999);
    expect(summarizeRate(stats.series(clock.now())).total).toBe(1);
    clock.advance(1);
    expect(summarizeRate(stats.series(clock.now())).total).toBe(0);
  });

  it('summarizes the window: total, busiest second, latest median, overall max', () => {
    const clock = fakeClock(START);
    const stats = new RateStats();
    for (const latency of [100, 200, 300, 400]) stats.record(clock.now(), latency);
    clock.advance(2_000);
    stats.record(clock.now(), 20);
    stats.record(clock.now(), 60);
    clock.advance(3_000);
    expect(summarizeRate(stats.series(clock.now()))).toEqual({ total: 6, peakPerSecond: 4, latestP50Ms: 20, maxMs: 400 });
    expect(summarizeRate(new RateStats().series(clock.now()))).toEqual({
      total: 0,
      peakPerSecond: 0,
      latestP50Ms: undefined,
      maxMs: undefined,
    });
  });

  it('survives the clock jumping back', () => {
    const clock = fakeClock(START);
    const stats = new RateStats();
    stats.record(clock.now(), 5);
    clock.advance(-3_600_000);
    stats.record(clock.now(), 6);
    expect(summarizeRate(stats.series(clock.now()))).toMatchObject({ total: 1, maxMs: 6 });
  });
});

describe('median', () => {
  it('is the lower middle value', () => {
    expect(median([])).toBeUndefined();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2);
  });
});
