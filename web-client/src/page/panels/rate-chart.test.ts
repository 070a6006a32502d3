import { describe, expect, it } from 'vitest';
import { linePath, niceCeiling } from './rate-chart.js';

describe('niceCeiling', () => {
  it('rounds a scale top up to 1, 2 or 5 × 10ⁿ', () => {
    expect(niceCeiling(0)).toBe(1);
    expect(niceCeiling(1)).toBe(1);
    expect(niceCeiling(1.2)).toBe(2);
    expect(niceCeiling(3)).toBe(5);
    expect(niceCeiling(7)).toBe(10);
    expect(niceCeiling(10)).toBe(10);
    expect(niceCeiling(101)).toBe(200);
    expect(niceCeiling(1000)).toBe(1000);
    expect(niceCeiling(4321)).toBe(5000);
  });
});

describe('linePath', () => {
  it('joins points, breaks at gaps, and draws a lone point as a dot', () => {
    expect(linePath([])).toBe('');
    expect(linePath([[0, 10], [5, 20], undefined, [15, 1], undefined])).toBe('M0.0 10.0 L5.0 20.0 M15.0 1.0 L15.0 1.0');
  });
});
