/**
 * What the page says about how fresh the table is (guarantee 8 of docs/architecture.md): "live · up to date as
 * of 14:02:11" while every hop works; "stale" and the hop that stopped when the service's watermark
 * falls behind or the service itself goes quiet; and a transaction still arriving. Pure.
 */
import { freshnessNow, type HeardFreshness } from '@orders-live/client';
import type { PipelineHop } from '@orders-live/protocol';

export interface FreshnessView {
  /** The pill's text while live; undefined: the connection state's own. */
  readonly pill: string | undefined;
  /** The page cannot vouch for what it shows: a hop has stopped. */
  readonly stale: boolean;
  /** The line under the pill; undefined: nothing to say. */
  readonly line: string | undefined;
}

const HOP_NAMES: Record<PipelineHop, string> = {
  postgres: 'Postgres',
  connect: 'Kafka Connect (Debezium)',
  kafka: 'Kafka',
  service: 'The live server',
};

const NOTHING: FreshnessView = { pill: undefined, stale: false, line: undefined };

/**
 * `liveSince`: when the connection became live (a server silent since then has stopped);
 * `clock`: an instant as the page shows times.
 */
export function freshnessView(
  live: boolean,
  heard: HeardFreshness | undefined,
  liveSince: number,
  now: number,
  clock: (ms: number) => string,
): FreshnessView {
  if (!live) return NOTHING;
  const { stalled } = freshnessNow(heard, liveSince, now);
  const upTo = heard?.upTo ?? null;
  if (stalled) {
    const shown = upTo === null ? 'the table may be behind' : `the table shows what was committed up to ${clock(upTo)}`;
    return {
      pill: 'stale',
      stale: true,
      line: `${HOP_NAMES[stalled.hop]} has stopped: ${shown}; later changes will appear when it is back (${stalled.reason}).`,
    };
  }
  const r = heard?.receiving;
  const receiving = r
    ? `Receiving a transaction: ${r.events.toLocaleString('en-US')}${r.expected === null ? '' : ` of ${r.expected.toLocaleString('en-US')}`} changes so far; it shows once it is whole.`
    : undefined;
  if (heard?.state === 'fresh' && upTo !== null) return { pill: `live · up to date as of ${clock(upTo)}`, stale: false, line: receiving };
  if (heard?.state === 'unknown' && heard.code === 'NO_WATERMARK' && now - liveSince > 3_000)
    return {
      pill: 'live',
      stale: false,
      line: receiving ?? 'The server cannot tell how fresh this is yet (no transaction markers from the connector).',
    };
  return { pill: undefined, stale: false, line: receiving };
}
