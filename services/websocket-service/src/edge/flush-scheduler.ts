/**
 * When the queued frames of every connection go out: all together, in one pass over the
 * connections that have something to send, as soon as possible when the service is quiet and at
 * most every MAX_COALESCE_MS under sustained fan-out.
 *
 * The cost of fan-out is the write per socket, not the bytes: a change sent to 1,000 sockets is
 * 1,000 writes (syscalls here, and as many wake-ups and reads at the clients) whether it carries
 * one change or twenty. So passes space out with load. After a pass, the next one starts no
 * earlier than a window after it ended: when frames came only after that window (quiet), the
 * window is COST_FACTOR times what the pass cost, and the next frame goes out at once
 * (setImmediate); when they came within it and had to wait (sustained fan-out), the window doubles,
 * from MIN_WINDOW_MS up to MAX_COALESCE_MS. So writing takes at most about 1 / (1 + COST_FACTOR) of
 * the service's time, a busy socket takes one write per MAX_COALESCE_MS however many frames it
 * carries, and a frame waits at most MAX_COALESCE_MS.
 */

import { FrameJoiner } from './text-frame.js';

/** Something with frames queued: writes them all in one go when flushed (joined through the pass's joiner). */
export interface Flushable {
  flush(joiner: FrameJoiner): void;
}

/** A frame waits at most this long to be written with others: bounds the latency coalescing adds. */
export const MAX_COALESCE_MS = 20;
/** Idle time after a pass, in units of its duration: 2 keeps writing under about a third of the time. */
export const COST_FACTOR = 2;
/** The first widening under sustained fan-out; it doubles from here (1, 2, 4, … 20 ms). */
export const MIN_WINDOW_MS = 1;

export interface FlushClock {
  /** Monotonic milliseconds (performance.now). */
  readonly now: () => number;
  /** Runs `run` after `delayMs` (0: after the current I/O, setImmediate). */
  readonly schedule: (run: () => void, delayMs: number) => void;
}

const REAL_CLOCK: FlushClock = {
  now: () => performance.now(),
  schedule: (run, delayMs) => {
    if (delayMs <= 0) setImmediate(run);
    else setTimeout(run, delayMs);
  },
};

export class FlushScheduler {
  readonly #clock: FlushClock;
  /** In the order they first had something to send since the last pass. */
  #dirty = new Set<Flushable>();
  #scheduled = false;
  /** When the next pass may start at the earliest (monotonic ms). */
  #notBefore = 0;
  /** The last gap required between passes, ms. */
  #window = 0;
  /** The pass now scheduled was made to wait for the window: fan-out is sustained. */
  #waited = false;
  #passes = 0;
  #flushed = 0;

  constructor(clock: FlushClock = REAL_CLOCK) {
    this.#clock = clock;
  }

  /** `connection` has frames queued: it is flushed in the next pass. */
  request(connection: Flushable): void {
    this.#dirty.add(connection);
    if (this.#scheduled) return;
    this.#scheduled = true;
    const wait = Math.min(MAX_COALESCE_MS, Math.max(0, this.#notBefore - this.#clock.now()));
    this.#waited = wait > 0;
    this.#clock.schedule(() => this.#pass(), wait);
  }

  /** A connection that went away: nothing of it is flushed. */
  forget(connection: Flushable): void {
    this.#dirty.delete(connection);
  }

  /** Passes so far, connection flushes in them, and the gap now required between passes (ms). */
  get stats(): { readonly passes: number; readonly flushed: number; readonly windowMs: number } {
    return { passes: this.#passes, flushed: this.#flushed, windowMs: this.#window };
  }

  #pass(): void {
    this.#scheduled = false;
    const started = this.#clock.now();
    const dirty = this.#dirty;
    this.#dirty = new Set();
    const joiner = new FrameJoiner();
    for (const connection of dirty) connection.flush(joiner);
    const ended = this.#clock.now();
    const costWindow = (ended - started) * COST_FACTOR;
    this.#window = this.#waited ? Math.min(MAX_COALESCE_MS, Math.max(this.#window * 2, MIN_WINDOW_MS, costWindow)) : costWindow;
    this.#notBefore = ended + this.#window;
    this.#passes += 1;
    this.#flushed += dirty.size;
  }
}
