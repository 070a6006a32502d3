import { describe, expect, it } from 'vitest';
import { COST_FACTOR, FlushScheduler, MAX_COALESCE_MS, MIN_WINDOW_MS, type FlushClock, type Flushable } from './flush-scheduler.js';

/** A clock the test moves, and the runs scheduled on it with their delays. */
function fakeClock() {
  let now = 0;
  const scheduled: { run: () => void; delayMs: number }[] = [];
  const clock: FlushClock = { now: () => now, schedule: (run, delayMs) => scheduled.push({ run, delayMs }) };
  return {
    clock,
    scheduled,
    advance: (ms: number) => {
      now += ms;
    },
    /** Runs the oldest scheduled pass, after its delay (a connection's flush may move the clock: its cost). */
    runNext: () => {
      const next = scheduled.shift();
      if (!next) throw new Error('nothing scheduled');
      now += next.delayMs;
      next.run();
    },
  };
}

function connection(onFlush: () => void = () => undefined): Flushable & { flushes: number } {
  const c = {
    flushes: 0,
    flush() {
      c.flushes += 1;
      onFlush();
    },
  };
  return c;
}

describe('FlushScheduler', () => {
  it('flushes every connection that asked, once each, in one pass, at once when quiet', () => {
    const t = fakeClock();
    const scheduler = new FlushScheduler(t.clock);
    const a = connection();
    const b = connection();
    scheduler.request(a);
    scheduler.request(b);
    scheduler.request(a);
    expect(t.scheduled.map((s) => s.delayMs)).toEqual([0]);
    t.runNext();
    expect([a.flushes, b.flushes]).toEqual([1, 1]);
    expect(scheduler.stats).toMatchObject({ passes: 1, flushed: 2 });
  });

  it('does not flush a connection forgotten before the pass', () => {
    const t = fakeClock();
    const scheduler = new FlushScheduler(t.clock);
    const gone = connection();
    scheduler.request(gone);
    scheduler.forget(gone);
    t.runNext();
    expect(gone.flushes).toBe(0);
  });

  it('waits COST_FACTOR times what the last pass cost before the next, and nothing after a quiet spell', () => {
    const t = fakeClock();
    const scheduler = new FlushScheduler(t.clock);
    const slow = connection(() => t.advance(3));
    scheduler.request(slow);
    t.runNext();
    expect(scheduler.stats.windowMs).toBe(3 * COST_FACTOR);
    scheduler.request(slow);
    expect(t.scheduled[0]!.delayMs).toBe(3 * COST_FACTOR);
    t.runNext();
    // Quiet: the next frame comes long after the window.
    t.advance(1_000);
    scheduler.request(connection());
    expect(t.scheduled[0]!.delayMs).toBe(0);
  });

  it('widens the gap by doubling under sustained fan-out, up to MAX_COALESCE_MS, and narrows it when quiet', () => {
    const t = fakeClock();
    const scheduler = new FlushScheduler(t.clock);
    // A quarter of a ms a pass: exact in binary, so the windows compare exactly.
    const cheap = connection(() => t.advance(0.25));
    const delays: number[] = [];
    scheduler.request(cheap);
    t.runNext();
    for (let i = 0; i < 10; i++) {
      scheduler.request(cheap);
      delays.push(t.scheduled[0]!.delayMs);
      t.runNext();
    }
    // The first wait is the cost window; each that had to wait widens the next.
    expect(delays).toEqual([
      0.25 * COST_FACTOR,
      MIN_WINDOW_MS,
      2,
      4,
      8,
      16,
      MAX_COALESCE_MS,
      MAX_COALESCE_MS,
      MAX_COALESCE_MS,
      MAX_COALESCE_MS,
    ]);
    t.advance(MAX_COALESCE_MS + 1);
    scheduler.request(cheap);
    expect(t.scheduled[0]!.delayMs).toBe(0);
    t.runNext();
    expect(scheduler.stats.windowMs).toBe(0.25 * COST_FACTOR);
  });
});
