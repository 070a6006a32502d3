/** Reconnect delays: exponential backoff with jitter. Pure; the caller supplies the randomness. */

/** The first retry waits up to this long: short enough that a server restart feels seamless. */
export const RECONNECT_INITIAL_DELAY_MS = 500;
/** No retry waits longer than this: a server that comes back is found within seconds. */
export const RECONNECT_MAX_DELAY_MS = 10_000;

/**
 * The wait before retry number `attempt` (0 = first retry): the ceiling doubles from
 * RECONNECT_INITIAL_DELAY_MS up to RECONNECT_MAX_DELAY_MS, and the wait is a random point in its
 * upper half ("equal jitter"), so pages that lost the same server do not return in lockstep.
 * `random` is in [0, 1), as from Math.random().
 */
export function reconnectDelayMs(attempt: number, random: number): number {
  const ceiling = Math.min(RECONNECT_MAX_DELAY_MS, RECONNECT_INITIAL_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
