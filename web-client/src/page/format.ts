/** How values read on screen. Pure (the formatter is passed in where the locale matters). */

const localDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

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
