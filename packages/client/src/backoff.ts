/**
 * Reconnect delays: exponential backoff with "equal jitter". Pure; the caller supplies the randomness.
 *
 * Equal jitter (not full jitter): the wait is a random point in the upper half of the ceiling, so
 * pages that lost the same server spread out, yet none retries at once in a tight loop.
 */

export interface BackoffSettings {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = Object.freeze({
  /** The first retry waits 250–500 ms: short enough that a server restart feels seamless. */
  initialDelayMs: 500,
  /** No retry waits longer than 10 s: a server that comes back is found within seconds. */
  maxDelayMs: 10_000,
  /** The ceiling doubles with each failed attempt in a row. */
  factor: 2,
});

/** Settings with the defaults filled in; throws a RangeError on values that make no schedule. */
export function backoffSettings(overrides: Partial<BackoffSettings> = {}): BackoffSettings {
  const settings = { ...DEFAULT_BACKOFF, ...overrides };
  if (!(settings.initialDelayMs > 0)) throw new RangeError(`backoff.initialDelayMs must be > 0, got ${settings.initialDelayMs}`);
  if (!(settings.maxDelayMs >= settings.initialDelayMs))
    throw new RangeError(`backoff.maxDelayMs must be >= initialDelayMs, got ${settings.maxDelayMs}`);
  if (!(settings.factor >= 1)) throw new RangeError(`backoff.factor must be >= 1, got ${settings.factor}`);
  return Object.freeze(settings);
}

/**
 * The wait before retry `attempt` (0 = the first retry after a failure): the ceiling grows from
 * initialDelayMs by `factor` per attempt up to maxDelayMs; the wait is in [ceiling / 2, ceiling].
 * `random` is in [0, 1), as from Math.random().
 */
export function backoffDelayMs(attempt: number, random: number, settings: BackoffSettings = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.initialDelayMs * settings.factor ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
