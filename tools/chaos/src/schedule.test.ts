import { describe, expect, it } from 'vitest';
import { seededRandom } from '@orders-live/testkit';
import { TARGETS, faultSchedule } from './schedule.js';

describe('faultSchedule', () => {
  it('is the same for the same seed', () => {
    expect(faultSchedule(60_000, seededRandom(1))).toEqual(faultSchedule(60_000, seededRandom(1)));
  });

  it('hits every target within the bounded run and ends before the run does', () => {
    for (let seed = 0; seed < 50; seed++) {
      const faults = faultSchedule(50_000, seededRandom(seed));
      expect(new Set(faults.map((f) => f.target)), `seed ${seed}`).toEqual(new Set(TARGETS));
      for (const fault of faults) {
        expect(fault.restartAt).toBeGreaterThan(fault.killAt);
        expect(fault.restartAt).toBeLessThanOrEqual(50_000);
      }
    }
  });

  it('never has one target down twice at once', () => {
    const faults = faultSchedule(600_000, seededRandom(7));
    for (const [i, fault] of faults.entries()) {
      for (const other of faults.slice(0, i)) {
        if (other.target === fault.target) expect(other.restartAt <= fault.killAt).toBe(true);
      }
    }
  });
});
