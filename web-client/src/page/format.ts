/** How values read on screen. Pure (the formatter and the clock are passed in where they matter). */
import type { ConnectionState } from '@orders-live/client';

/**
 * Date, time to the second and the zone ("Dec 1, 22:14:07 UTC"): a reader in another zone, or a
 * row from another day, is never misread. The exact instant is in the cell's title.
 */
export const DATE_TIME_PARTS: Intl.DateTimeFormatOptions = {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
};
const localDateTime = new Intl.DateTimeFormat(undefined, DATE_TIME_PARTS);

/**
 * An ISO-8601 instant in the reader's time zone. Postgres sends microseconds, which Date may not
 * parse everywhere, so the fraction is cut to milliseconds first. Unparseable text is shown as is.
 */
export function formatInstant(iso: string, format: Intl.DateTimeFormat = localDateTime): string {
  const millis = Date.parse(iso.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(millis) ? iso : format.format(millis);
}

export function formatLatency(ms: number): string {
  return Math.abs(ms) < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The connection indicator's text: the state's name, and for reconnecting the seconds left ("reconnecting in 3s"). */
export function formatConnectionState(state: ConnectionState, now: number): string {
  if (state.name !== 'reconnecting') return state.name;
  const seconds = Math.ceil((state.retryAt - now) / 1000);
  return seconds > 0 ? `reconnecting in ${seconds}s` : 'reconnecting';
}

const localTime = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** A moment of today as a clock reads it (the chart's points). */
export function formatClock(epochMs: number, format: Intl.DateTimeFormat = localTime): string {
  return format.format(epochMs);
}

/** A moment with its date and zone (the activity log). */
export function formatDateTime(epochMs: number, format: Intl.DateTimeFormat = localDateTime): string {
  return format.format(epochMs);
}
