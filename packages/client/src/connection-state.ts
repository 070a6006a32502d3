/**
 * The client's connection lifecycle, as data (client.ts drives it):
 *
 *              connect()                  last snapshot chunk, or `resumed`
 *   offline ─────────────▶ connecting ─────────────────────────────────────▶ live
 *   (idle)                  ▲      │ socket closed / not open in time            │ socket closed,
 *                           │      │                                             │ or silent too long
 *                           │      ▼                                             ▼
 *                           └── reconnecting {attempt, retryAt} ◀───────────────┘
 *              timer fires        (backoff; closed with 1001/4001/4008 → connecting at once)
 *
 *   close():                 any state → offline {reason: 'closed'}; final, no socket is opened again.
 *   setNetworkOnline(false): any state → offline {reason: 'network'}; setNetworkOnline(true) → connecting.
 */
import { CLOSE_CODES } from '@orders-live/protocol';

export const CONNECTION_STATES = ['connecting', 'live', 'reconnecting', 'offline'] as const;
export type ConnectionStateName = (typeof CONNECTION_STATES)[number];

export type ConnectionState =
  /** A socket is opening, or open and subscribed but the view is not current yet. */
  | { readonly name: 'connecting' }
  /** The view is current: snapshot complete, or resumed; changes apply as they come. */
  | { readonly name: 'live' }
  /** Waiting to retry: `attempt` is 1 for the first retry since the client was last live; `retryAt` is epoch ms. */
  | { readonly name: 'reconnecting'; readonly attempt: number; readonly retryAt: number }
  /** No socket and none coming: not connected yet (idle), told the network is gone, or closed for good. */
  | { readonly name: 'offline'; readonly reason: 'idle' | 'network' | 'closed' };

/** Close codes that ask the client to reconnect at once (and resume): a replica going away, a slow consumer, an expired token. */
export const RECONNECT_NOW_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODES.GOING_AWAY,
  CLOSE_CODES.SLOW_CONSUMER,
  CLOSE_CODES.TOKEN_EXPIRED,
]);

/** Whether moving from `a` to `b` is no news (not emitted). */
export function sameState(a: ConnectionState, b: ConnectionState): boolean {
  if (a.name === 'offline' && b.name === 'offline') return a.reason === b.reason;
  // Every wait is news (a new attempt and retryAt); connecting and live carry nothing more than their name.
  return a.name === b.name && a.name !== 'reconnecting';
}

/** closed is final: nothing follows it. */
export function isClosed(state: ConnectionState): boolean {
  return state.name === 'offline' && state.reason === 'closed';
}
