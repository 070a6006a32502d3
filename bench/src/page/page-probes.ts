/// <reference lib="dom" />
/**
 * What bench:page runs inside the page: the instrument installed before the page's own script
 * (long tasks, the most DOM elements), the timer of one interaction, and the test that rows are on
 * screen.
 */
import type { Page } from '@playwright/test';

/** An interaction not on screen within this is a failure, not a figure. */
export const INTERACTION_TIMEOUT_MS = 60_000;

/** Installed before the page's own script: long tasks and the most DOM elements, per document. */
export function instrument(): void {
  const state = { longest: 0, maxDom: 0, since: 0 };
  (window as unknown as { __bench: typeof state }).__bench = state;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.startTime >= state.since) state.longest = Math.max(state.longest, entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  const sample = () => {
    state.maxDom = Math.max(state.maxDom, document.getElementsByTagName('*').length);
    requestAnimationFrame(sample);
  };
  requestAnimationFrame(sample);
}

/** In the page: runs `act`, then resolves with ms until `done()` holds after a frame. */
export async function timeUntil(page: Page, act: string, done: string): Promise<number> {
  return page.evaluate(
    ({ act, done, timeout }) =>
      new Promise<number>((resolve, reject) => {
        const started = performance.now();
        // The benchmark's own expressions (strings, so they cross into the page), run in its own page.
        // eslint-disable-next-line @typescript-eslint/no-implied-eval
        const check = new Function(`return (${done})`) as () => boolean;
        // eslint-disable-next-line @typescript-eslint/no-implied-eval
        const run = new Function(act) as () => void;
        run();
        const poll = () => {
          if (check()) resolve(performance.now() - started);
          else if (performance.now() - started > timeout) reject(new Error(`not on screen within ${timeout} ms: ${done}`));
          else requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      }),
    { act, done, timeout: INTERACTION_TIMEOUT_MS },
  );
}

/** Rows on screen and none of them a placeholder; `first` the rank the first must have (or more). */
export const rowsShown = (first = 0) =>
  `document.querySelectorAll('tbody tr.order-row').length > 0 && document.querySelectorAll('tbody tr.placeholder').length === 0 && Number(document.querySelector('tbody tr.order-row')?.dataset.index) >= ${first}`;
