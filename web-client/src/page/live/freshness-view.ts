/**
 * What the page says about how fresh the table is (guarantee 8 of docs/architecture.md): "live · up to date as
 * of 14:02:11" while every hop works; "stale" and the hop that stopped when the service's watermark
 * falls behind or the service itself goes quiet; and a transaction still arriving. Pure.
 */
import { freshnessNow, type HeardFreshness } from '@orders-live/client';
import { FRESHNESS_CODES, type PipelineHop } from '@orders-live/protocol';

export interface FreshnessView {
  /** The pill's text while live; undefined: the connection state's own. */
  readonly pill: string | undefined;
  /**
   * stale: the page cannot vouch for what it shows, a hop has stopped (red); behind: nothing stopped,
   * but the table trails the database (a large transaction arriving, the server catching up: amber);
   * live: up to date; undefined: the connection state says it.
   */
  readonly state: 'live' | 'behind' | 'stale' | undefined;
  /** The line under the pill; undefined: nothing to say. */
  readonly line: string | undefined;
}

const HOP_NAMES: Record<PipelineHop, string> = {
  postgres: 'Postgres',
  connect: 'Kafka Connect (Debezium)',
  kafka: 'Kafka',
  service: 'The live server',
};

const NOTHING: FreshnessView = { pill: undefined, state: undefined, line: undefined };

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
  const shown = upTo === null ? 'the table may be behind' : `the table shows what was committed up to ${clock(upTo)}`;
  if (stalled?.code === FRESHNESS_CODES.CATCHING_UP) {
    return { pill: 'catching up', state: 'behind', line: `The live server is catching up: ${shown} (${stalled.reason}).` };
  }
  if (stalled) {
    return {
      pill: 'stale',
      state: 'stale',
      line: `${HOP_NAMES[stalled.hop]} has stopped: ${shown}; later changes will appear when it is back (${stalled.reason}).`,
    };
  }
  const r = heard?.receiving;
  const receiving = r
    ? `Receiving a transaction: ${r.events.toLocaleString('en-US')}${r.expected === null ? '' : ` of ${r.expected.toLocaleString('en-US')}`} changes so far; it shows once it is whole.`
    : undefined;
  if (heard?.code === FRESHNESS_CODES.RECEIVING_TRANSACTION) {
    // Behind with nothing stopped: what committed after the transaction waits behind it.
    return { pill: 'receiving a transaction', state: 'behind', line: receiving ?? `Receiving a transaction; ${shown}.` };
  }
  if (heard?.state === 'fresh' && upTo !== null) return { pill: `live · up to date as of ${clock(upTo)}`, state: 'live', line: receiving };
  if (heard?.state === 'unknown' && heard.code === 'NO_WATERMARK' && now - liveSince > 3_000)
    return {
      pill: 'live',
      state: 'live',
      line: receiving ?? 'The server cannot tell how fresh this is yet (no transaction markers from the connector).',
    };
  return { pill: undefined, state: undefined, line: receiving };
}
