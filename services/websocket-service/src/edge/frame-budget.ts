/**
 * How many frames a client may send: a token bucket per connection. Pure; the clock is passed in.
 * A page sends a handful of frames per connection (subscribe, perhaps unsubscribe); a client far
 * past the budget is broken or hostile and is closed (CLOSE_CODES.POLICY_VIOLATION).
 */

/** Sustained client frames per second. */
export const CLIENT_FRAMES_PER_SECOND = 20;
/** Frames a client may send at once (a page resubscribing several views after a reconnect). */
export const CLIENT_FRAME_BURST = 50;

export class FrameBudget {
  #tokens = CLIENT_FRAME_BURST;
  #updatedAt: number;

  constructor(now: number) {
    this.#updatedAt = now;
  }

  /** Spends one frame; false when the client is over its budget. */
  take(now: number): boolean {
    const elapsedSeconds = Math.max(0, now - this.#updatedAt) / 1_000;
    this.#tokens = Math.min(CLIENT_FRAME_BURST, this.#tokens + elapsedSeconds * CLIENT_FRAMES_PER_SECOND);
    this.#updatedAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
