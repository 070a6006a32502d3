import { describe, expect, it } from 'vitest';
import { CLIENT_FRAMES_PER_SECOND, CLIENT_FRAME_BURST, FrameBudget } from './frame-budget.js';

describe('FrameBudget', () => {
  it('allows a burst, then the sustained rate', () => {
    const budget = new FrameBudget(0);
    for (let i = 0; i < CLIENT_FRAME_BURST; i++) expect(budget.take(0)).toBe(true);
    expect(budget.take(0)).toBe(false);
    expect(budget.take(1_000 / CLIENT_FRAMES_PER_SECOND)).toBe(true);
    expect(budget.take(1_000 / CLIENT_FRAMES_PER_SECOND)).toBe(false);
  });

  it('refills to the burst, not beyond', () => {
    const budget = new FrameBudget(0);
    for (let i = 0; i < CLIENT_FRAME_BURST; i++) budget.take(0);
    let allowed = 0;
    while (budget.take(3_600_000)) allowed += 1;
    expect(allowed).toBe(CLIENT_FRAME_BURST);
  });
});
