import { describe, expect, it } from 'vitest';
import { burstTotals, measuredNothing, ratio } from './verdict.js';

const burst = (deliveries: number, windowMs: number, serverCpuSeconds: number, commitToLastMs = windowMs * 2, expected = 1_000) => ({
  expected,
  deliveries,
  windowMs,
  commitToLastMs,
  serverCpuSeconds,
});

describe('burstTotals', () => {
  it('adds the bursts up: deliveries over the windows and over the server CPU seconds; cores over commit → last', () => {
    const totals = burstTotals([burst(1_000, 100, 0.05), burst(1_000, 300, 0.15)]);
    expect(totals).toEqual({
      expected: 2_000,
      deliveries: 2_000,
      windowMs: 400,
      serverCpuSeconds: 0.2,
      deliveriesPerSecond: 5_000,
      serverCores: 0.25,
      deliveriesPerCore: 10_000,
    });
  });

  it('counts the deliveries of a burst without a window (one delivery) but not its time', () => {
    const totals = burstTotals([burst(1_000, 500, 0.1), burst(1, NaN, 0.01)]);
    expect(totals.deliveries).toBe(1_001);
    expect(totals.windowMs).toBe(500);
    expect(totals.deliveriesPerSecond).toBe(2_002);
  });

  it('says 0, not NaN or Infinity, when nothing was delivered', () => {
    for (const bursts of [[], [burst(0, NaN, 0.3, NaN)]]) {
      const totals = burstTotals(bursts);
      expect(totals.deliveriesPerSecond).toBe(0);
      expect(totals.deliveriesPerCore).toBe(0);
      expect(totals.serverCores).toBe(0);
    }
  });
});

describe('ratio', () => {
  it('is ours ÷ the baseline to two decimals', () => {
    expect(ratio(1_000_000, 300_000)).toBe(3.33);
  });

  it('is null against a baseline that measured nothing, or one that did not run', () => {
    expect(ratio(1_000_000, 0)).toBeNull();
    expect(ratio(1_000_000, NaN)).toBeNull();
    expect(ratio(1_000_000, Infinity)).toBeNull();
    expect(ratio(1_000_000, undefined)).toBeNull();
    expect(ratio(0, 100)).toBeNull();
  });
});

describe('measuredNothing', () => {
  const run = (ready: number, deliveries: number) => ({
    server: 'seed',
    clients: { ready, failed: 1_000 - ready, firstError: ready === 0 ? 'connect ECONNREFUSED' : undefined },
    burst: { deliveries, expected: ready * 2_500 },
  });

  it('names a run where no client connected, with the clients\u2019 first error', () => {
    expect(measuredNothing(1_000, run(0, 0))).toBe(
      'seed at 1000 clients: none of the 1000 clients connected (1000 failed: connect ECONNREFUSED)',
    );
  });

  it('names a run whose clients connected but received nothing', () => {
    expect(measuredNothing(1_000, run(1_000, 0))).toBe(
      'seed at 1000 clients: 0 of 2500000 burst deliveries reached 1000 connected clients',
    );
  });

  it('lets a run that delivered something through, even short of the expected count', () => {
    expect(measuredNothing(1_000, run(1_000, 1))).toBeNull();
  });
});
