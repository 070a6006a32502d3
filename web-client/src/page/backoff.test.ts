import { describe, expect, it } from 'vitest';
import { RECONNECT_INITIAL_DELAY_MS, RECONNECT_MAX_DELAY_MS, reconnectDelayMs } from './backoff.js';

describe('reconnectDelayMs', () => {
  it('doubles from the initial delay up to the maximum', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 30].map((attempt) => reconnectDelayMs(attempt, 0.999999));
    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
    expect(ceilings[0]).toBe(RECONNECT_INITIAL_DELAY_MS);
    expect(reconnectDelayMs(1000, 0.999999)).toBe(RECONNECT_MAX_DELAY_MS);
  });

  it('spreads each wait over the upper half of its ceiling', () => {
    expect(reconnectDelayMs(0, 0)).toBe(250);
    expect(reconnectDelayMs(0, 0.5)).toBe(375);
    expect(reconnectDelayMs(10, 0)).toBe(5000);
  });
});
