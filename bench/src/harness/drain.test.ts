import { describe, expect, it } from 'vitest';
import { drainDeliveries, type DrainTiming } from './drain.js';

const timing: DrainTiming = { settledMs: 30, stalledMs: 100, timeoutMs: 1_000, pollMs: 10 };

/** A fake clock that moves only when the drain sleeps, and a fleet whose count follows `deliveriesAt(ms)`. */
function fake(deliveriesAt: (ms: number) => number) {
  let now = 0;
  const clock = { now: () => now, sleep: (ms: number) => Promise.resolve(void (now += ms)) };
  const stats = () => Promise.resolve({ deliveries: deliveriesAt(now) });
  return { clock, stats };
}

describe('drainDeliveries', () => {
  it('ends once everything expected is in and nothing new came for the settle time', async () => {
    const { clock, stats } = fake((ms) => Math.min(10, Math.floor(ms / 10) * 2));
    const drained = await drainDeliveries({ ...timing, clock, stats, complete: (s) => s.deliveries >= 10 });
    // The 10th delivery is seen at 50 ms; quiet for 30 ms after it.
    expect(drained).toEqual({ stats: { deliveries: 10 }, elapsedMs: 80 });
  });

  it('waits for the clients to go quiet even after the expected count, while more keeps coming', async () => {
    const { clock, stats } = fake((ms) => Math.min(20, Math.floor(ms / 10) * 2));
    const drained = await drainDeliveries({ ...timing, clock, stats, complete: (s) => s.deliveries >= 10 });
    expect(drained).toEqual({ stats: { deliveries: 20 }, elapsedMs: 130 });
  });

  it('gives up with what it has after the stall time without a new delivery', async () => {
    const { clock, stats } = fake((ms) => (ms < 40 ? 3 : 4));
    const drained = await drainDeliveries({ ...timing, clock, stats, complete: (s) => s.deliveries >= 10 });
    expect(drained).toEqual({ stats: { deliveries: 4 }, elapsedMs: 140 });
  });

  it('ends at the timeout however busy the clients still are', async () => {
    const { clock, stats } = fake((ms) => ms);
    const drained = await drainDeliveries({ ...timing, clock, stats, complete: () => false });
    expect(drained.elapsedMs).toBe(1_010);
  });

  it('ends as soon as the run is told to stop', async () => {
    const { clock, stats } = fake((ms) => ms);
    const drained = await drainDeliveries({ ...timing, clock, stats, complete: () => false, stop: () => clock.now() >= 50 });
    expect(drained.elapsedMs).toBe(50);
  });
});
