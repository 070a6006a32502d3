import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, backoffDelayMs, backoffSettings } from './backoff.js';

describe('backoffDelayMs', () => {
  it('grows by the factor from the initial delay up to the maximum', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 30, 5000].map((attempt) => backoffDelayMs(attempt, 0.999999));
    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000]);
    expect(ceilings[0]).toBe(DEFAULT_BACKOFF.initialDelayMs);
    expect(ceilings.at(-1)).toBe(DEFAULT_BACKOFF.maxDelayMs);
  });

  it('waits a random point in the upper half of the ceiling (equal jitter)', () => {
    expect(backoffDelayMs(0, 0)).toBe(250);
    expect(backoffDelayMs(0, 0.5)).toBe(375);
    expect(backoffDelayMs(10, 0)).toBe(5000);
    for (let i = 0; i < 200; i += 1) {
      const attempt = i % 8;
      const ceiling = Math.min(DEFAULT_BACKOFF.maxDelayMs, DEFAULT_BACKOFF.initialDelayMs * 2 ** attempt);
      const delay = backoffDelayMs(attempt, Math.random());
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });

  it('takes other settings, and refuses ones that make no schedule', () => {
    const settings = backoffSettings({ initialDelayMs: 100, factor: 3, maxDelayMs: 1000 });
    expect([0, 1, 2, 3].map((attempt) => backoffDelayMs(attempt, 0.999999, settings))).toEqual([100, 300, 900, 1000]);
    expect(() => backoffSettings({ initialDelayMs: 0 })).toThrow(RangeError);
    expect(() => backoffSettings({ initialDelayMs: 500, maxDelayMs: 100 })).toThrow(/maxDelayMs/);
    expect(() => backoffSettings({ factor: 0.5 })).toThrow(/factor/);
  });
});
