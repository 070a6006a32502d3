/**
 * What a client knows of how fresh its server is (guarantee 8 of docs/architecture.md), at any moment. Pure.
 *
 * The server says it every second (a `freshness` frame); while the socket is open and none has come
 * for SERVICE_SILENT_AFTER_MS, the service itself is the hop that stopped, whatever it said last.
 */
import { FRESHNESS_CODES, type Freshness, type Stall } from '@orders-live/protocol';

/** Three missed freshness frames (one a second): the service has stopped sending. */
export const SERVICE_SILENT_AFTER_MS = 3_000;

/** A freshness frame as the client heard it: the server's word and the client's clock when it came. */
export type HeardFreshness = Freshness & { readonly heardAt: number };

/** The stall a page shows now: the server's own, or the service's when the server has gone quiet. */
export function freshnessNow(
  heard: HeardFreshness | undefined,
  since: number,
  now: number,
): { readonly freshness: HeardFreshness | undefined; readonly stalled: Stall | null } {
  // Quiet since the later of the last frame and `since` (when the socket went live: a frame heard on
  // an earlier connection says nothing of this one).
  const quietMs = now - Math.max(heard?.heardAt ?? since, since);
  if (quietMs > SERVICE_SILENT_AFTER_MS) {
    return {
      freshness: heard,
      stalled: {
        hop: 'service',
        code: FRESHNESS_CODES.SERVICE_SILENT,
        reason: `the service has sent nothing for ${Math.round(quietMs / 1000)} s`,
      },
    };
  }
  return { freshness: heard, stalled: heard?.stalled ?? null };
}
